import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SETTING_FIELDS } from './currentSettings';
import { parseEnvironmentRequest } from './environmentSpec';

const UPDATE_TEMPLATE = path.resolve(
  __dirname,
  '../../../../templates/aws-environment-update/template.yaml',
);

interface Page {
  required?: string[];
  properties?: Record<string, Record<string, any>>;
}

async function pages(): Promise<Page[]> {
  const template = parseYaml(await fs.readFile(UPDATE_TEMPLATE, 'utf8'));
  return template.spec.parameters;
}

async function properties(): Promise<Record<string, Record<string, any>>> {
  return Object.assign({}, ...(await pages()).map(p => p.properties ?? {}));
}

/**
 * The Update form must not carry values of its own: whatever it pre-fills would be deployed over what the
 * environment runs with. Only the environment is asked for; everything else starts empty, meaning "keep".
 */
describe('the Update an AWS environment form', () => {
  it('requires only the environment', async () => {
    expect((await pages()).flatMap(p => p.required ?? [])).toEqual([
      'environment',
    ]);
  });

  it('pre-fills no setting: every default is the empty "keep current" choice', async () => {
    const prefilled = Object.entries(await properties())
      .filter(([name]) => name !== 'applyChanges')
      .filter(
        ([, field]) => field.default !== undefined && field.default !== '',
      )
      .map(([name, field]) => `${name}=${JSON.stringify(field.default)}`);
    const nested = Object.entries(await properties())
      .filter(([, field]) => field.type === 'object')
      .flatMap(([name, field]) =>
        Object.entries(field.properties as Record<string, any>)
          .filter(([, child]) => child.default !== undefined)
          .map(([child]) => `${name}.${child}`),
      );
    expect([...prefilled, ...nested]).toEqual([]);
  });

  it('offers "Keep current" first in every choice, so a changed mind can go back to keeping', async () => {
    // Settings only: the Apply switch is a Yes/No choice of this run, not a setting to keep.
    const choices = Object.entries(await properties()).filter(
      ([, field]) => Array.isArray(field.enum) && field.type !== 'boolean',
    );
    expect(choices.length).toBeGreaterThanOrEqual(10);
    for (const [name, field] of choices) {
      expect({
        name,
        first: field.enum[0],
        label: field.enumNames?.[0],
      }).toEqual({ name, first: '', label: 'Keep current' });
    }
  });

  it('asks for every setting the environment has, except owner and system, which come from the catalog entity', async () => {
    const offered = new Set(Object.keys(await properties()));
    const settings = [...SETTING_FIELDS.keys()].map(f => f.split('.')[0]);
    expect(
      [...new Set(settings)].filter(
        f => !offered.has(f) && f !== 'owner' && f !== 'system',
      ),
    ).toEqual([]);
  });

  it('offers only values the actions accept', async () => {
    const identity = {
      name: 'innovate-dev',
      stage: 'dev',
      accountId: '222222222222',
      region: 'eu-central-1',
    };
    const fields = await properties();
    const refused: string[] = [];
    for (const [name, field] of Object.entries(fields)) {
      if (!Array.isArray(field.enum) || name === 'environment') continue;
      for (const choice of field.enum.filter((v: string) => v !== '')) {
        // The template turns the string choices of numbers and switches into numbers and booleans.
        let value: unknown = choice;
        if (choice === 'true' || choice === 'false') value = choice === 'true';
        else if (/^\d+$/.test(choice)) value = Number(choice);
        try {
          parseEnvironmentRequest({ ...identity, [name]: value });
        } catch {
          refused.push(`${name}=${choice}`);
        }
      }
    }
    expect(refused).toEqual([]);
  });
});
