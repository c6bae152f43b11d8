import {
  budgetProblem,
  cidrsOverlap,
  environmentNameProblem,
  fieldTitle,
  newEnvironmentNameProblem,
  tagValueProblem,
  teardownConfirmationProblem,
  vpcCidrProblem,
} from './validation';

describe('environment name', () => {
  it.each(['innovate-qa', 'abc', 'a1234567890123456789012345678901'])(
    'accepts %s',
    name => expect(environmentNameProblem(name)).toBeUndefined(),
  );
  it.each([
    ['', 'Enter a name'],
    ['ab', '3 to 32'],
    ['Innovate', 'lower-case'],
    ['innovate-', 'not ending with a hyphen'],
    ['1nnovate', 'starting with a letter'],
    ['a'.repeat(33), '3 to 32'],
    ['dev;rm -rf', 'lower-case'],
  ])('refuses %j', (name, message) =>
    expect(environmentNameProblem(name)).toContain(message),
  );
});

describe('new environment name', () => {
  it.each(['innovate-qa', 'web-shop-2', 'three-a'])('accepts %s', name =>
    expect(newEnvironmentNameProblem(name)).toBeUndefined(),
  );
  it.each([
    ['Innovate', 'lower-case'],
    ['web--shop', 'two hyphens in a row'],
    ['xn--shop', 'two hyphens in a row'],
    ['sthree-shop', 'reserved by AWS for S3'],
    ['amzn-s3-demo-shop', 'reserved by AWS for S3'],
    ['aws-account-222222222222', 'names of AWS accounts'],
  ])('refuses %j', (name, message) =>
    expect(newEnvironmentNameProblem(name)).toContain(message),
  );
  it('leaves such names to the naming rules alone where an environment may exist already', () => {
    expect(environmentNameProblem('web--shop')).toBeUndefined();
  });
});

describe('VPC range', () => {
  it.each(['10.40.0.0/16', '172.16.0.0/16', '172.31.0.0/16', '192.168.0.0/16'])(
    'accepts %s',
    cidr => expect(vpcCidrProblem(cidr)).toBeUndefined(),
  );
  it.each([
    ['10.999.0.0/16', 'not an IPv4 range'],
    ['10.40.0.0/24', 'not /24'],
    ['10.40.5.0/16', 'use 10.40.0.0/16'],
    ['8.8.0.0/16', 'not a private range'],
    ['172.32.0.0/16', 'not a private range'],
    ['010.40.0.0/16', 'not an IPv4 range'],
    ['10.40.0.0', 'not an IPv4 range'],
    ['', 'Enter a private /16'],
  ])('refuses %j', (cidr, message) =>
    expect(vpcCidrProblem(cidr)).toContain(message),
  );
  it('finds overlaps between ranges of any size', () => {
    expect(cidrsOverlap('10.40.0.0/16', '10.40.16.0/20')).toBe(true);
    expect(cidrsOverlap('10.0.0.0/8', '10.41.0.0/16')).toBe(true);
    expect(cidrsOverlap('10.40.0.0/16', '10.41.0.0/16')).toBe(false);
  });
});

describe('tag values', () => {
  it('accepts the characters AWS allows', () => {
    expect(tagValueProblem('web / ops:42 = a+b@c_d.e-f', 'Cost center')).toBe(
      undefined,
    );
  });
  it.each([
    ['web\nteam', 'may contain only'],
    ['x'.repeat(257), 'at most 256'],
    ['<script>', 'may contain only'],
    ["web'; DROP TABLE", 'may contain only'],
    [' web', 'must not start or end'],
  ])('refuses %j', (value, message) =>
    expect(tagValueProblem(value, 'Cost center')).toContain(message),
  );
  it('asks for a required value', () => {
    expect(tagValueProblem('  ', 'Cost center', { required: true })).toBe(
      'Enter a value for Cost center.',
    );
  });
});

describe('budget', () => {
  it.each([1, 800, 812.5, 1_000_000])('accepts %d', value =>
    expect(budgetProblem(value)).toBeUndefined(),
  );
  it.each([0, -5, 1e308, Infinity, NaN, 1_000_001, 0.001, '800'])(
    'refuses %p',
    value => expect(budgetProblem(value)).toMatch(/budget/),
  );
});

it('names fields by their form titles', () => {
  expect(fieldTitle(['vpcCidr'])).toBe('VPC range');
  expect(fieldTitle(['frontendNodes', 'max'])).toBe('Frontend nodes, max');
});

it('confirms a teardown only with the exact name', () => {
  expect(teardownConfirmationProblem('innovate-dev', 'innovate-dev')).toBe(
    undefined,
  );
  expect(teardownConfirmationProblem('innovate-de', 'innovate-dev')).toContain(
    'innovate-dev',
  );
});
