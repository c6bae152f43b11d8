/**
 * A loopback stand-in for AWS at the HTTP layer, for the contract tests of the real-mode clients: it records every
 * request the SDK sends (method, path, headers, body, SigV4 scope) and answers in each service's wire protocol, so
 * that the SDK's serializers, signers, parsers, retry strategy and paginators all run as they do against AWS.
 *
 * Response shapes follow the AWS API references:
 * - query protocol with XML answers (CloudFormation, RDS, STS):
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html and each action's page under
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/,
 *   https://docs.aws.amazon.com/STS/latest/APIReference/;
 * - awsJson 1.0/1.1 (Cost Explorer, Budgets, Pricing, tagging, and CloudWatch, whose installed client speaks
 *   awsJson 1.0 in query-compatible mode);
 * - restJson (EKS, Security Hub, GuardDuty, Inspector) and restXml (Route 53): the request syntax of each action's
 *   API reference page (e.g. https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html).
 */
import dns from 'node:dns';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/** One request as it arrived on the wire. */
export interface WireRequest {
  method: string;
  /** Decoded path, e.g. `/clusters/innovate-dev`. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The form fields of a query-protocol request (`Action=...&Version=...`); empty otherwise. */
  params: URLSearchParams;
  /** The parsed body of a JSON request. */
  json?: any;
  /** The SigV4 credential scope of the `Authorization` header; absent when the request is not signed. */
  signature?: {
    accessKeyId: string;
    date: string;
    region: string;
    service: string;
  };
  /** Service the request is for (its signing name, e.g. `cloudformation`, `ce`, `monitoring`). */
  service: string;
  /** Operation: `Action` (query), the `X-Amz-Target` suffix (JSON) or the REST route's name. */
  operation: string;
}

export interface WireResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export type WireHandler = (
  request: WireRequest,
) => WireResponse | Promise<WireResponse>;

/** REST operations the portal calls, by signing name, method and path (from each action's "Request Syntax"). */
const REST_ROUTES: Array<{
  service: string;
  method: string;
  path: RegExp;
  operation: string;
}> = [
  {
    service: 'eks',
    method: 'GET',
    path: /^\/cluster-versions$/,
    operation: 'DescribeClusterVersions',
  },
  {
    service: 'eks',
    method: 'GET',
    path: /^\/clusters\/[^/]+\/node-groups$/,
    operation: 'ListNodegroups',
  },
  {
    service: 'eks',
    method: 'GET',
    path: /^\/clusters\/[^/]+\/node-groups\/[^/]+$/,
    operation: 'DescribeNodegroup',
  },
  {
    service: 'eks',
    method: 'GET',
    path: /^\/clusters\/[^/]+$/,
    operation: 'DescribeCluster',
  },
  {
    service: 'securityhub',
    method: 'POST',
    path: /^\/findings$/,
    operation: 'GetFindings',
  },
  {
    service: 'guardduty',
    method: 'GET',
    path: /^\/detector$/,
    operation: 'ListDetectors',
  },
  {
    service: 'guardduty',
    method: 'POST',
    path: /^\/detector\/[^/]+\/findings$/,
    operation: 'ListFindings',
  },
  {
    service: 'guardduty',
    method: 'POST',
    path: /^\/detector\/[^/]+\/findings\/get$/,
    operation: 'GetFindings',
  },
  {
    service: 'inspector2',
    method: 'POST',
    path: /^\/findings\/list$/,
    operation: 'ListFindings',
  },
  {
    service: 'route53',
    method: 'GET',
    path: /^\/2013-04-01\/hostedzone\/[^/]+$/,
    operation: 'GetHostedZone',
  },
];

/** Query-protocol API versions, for the one request that is not signed (AssumeRoleWithWebIdentity). */
const QUERY_VERSIONS: Record<string, string> = {
  '2010-05-15': 'cloudformation',
  '2014-10-31': 'rds',
  '2011-06-15': 'sts',
};

function parseSignature(
  authorization: string | undefined,
): WireRequest['signature'] {
  const match =
    /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/.exec(
      authorization ?? '',
    );
  if (!match) {
    return undefined;
  }
  const [, accessKeyId, date, region, service] = match;
  return { accessKeyId, date, region, service };
}

/** A loopback HTTP server answering as AWS; see the module comment. */
export class AwsWire {
  readonly requests: WireRequest[] = [];
  /** Requests no handler was registered for; answered 501 so that the SDK fails loudly. */
  readonly unanswered: WireRequest[] = [];
  private readonly handlers = new Map<string, WireHandler[]>();

  static async start(): Promise<AwsWire> {
    const wire = new AwsWire();
    await new Promise<void>(resolve =>
      wire.server.listen(0, '127.0.0.1', resolve),
    );
    return wire;
  }

  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      this.answer(req, Buffer.concat(chunks).toString('utf8')).then(
        response => {
          res.writeHead(response.status ?? 200, {
            'x-amzn-requestid': randomUUID(),
            date: new Date().toUTCString(),
            ...response.headers,
          });
          res.end(response.body ?? '');
        },
        error => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        },
      );
    });
  });

  private constructor() {}

  /** `http://127.0.0.1:<port>`: every service's endpoint in the contract tests. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /**
   * Answers the next requests of one operation: each handler (or fixed response) answers one request in turn, the
   * last one every request after. `service` is the signing name of the service (`ce` for Cost Explorer, `monitoring`
   * for CloudWatch, `tagging` for the tagging API).
   */
  on(
    service: string,
    operation: string,
    ...answers: Array<WireHandler | WireResponse>
  ): this {
    const queue = this.handlers.get(`${service}.${operation}`) ?? [];
    queue.push(
      ...answers.map(answer =>
        typeof answer === 'function' ? answer : () => answer,
      ),
    );
    this.handlers.set(`${service}.${operation}`, queue);
    return this;
  }

  /** Like `on`, for an operation that already has answers: they are dropped first. */
  replace(
    service: string,
    operation: string,
    ...answers: Array<WireHandler | WireResponse>
  ): this {
    this.handlers.delete(`${service}.${operation}`);
    return this.on(service, operation, ...answers);
  }

  /** The requests of one operation, in the order they arrived. */
  requestsFor(service: string, operation: string): WireRequest[] {
    return this.requests.filter(
      r => r.service === service && r.operation === operation,
    );
  }

  /** `service.Operation` of every request, in order, e.g. `['sts.AssumeRole', 'cloudformation.DescribeStacks']`. */
  operations(): string[] {
    return this.requests.map(r => `${r.service}.${r.operation}`);
  }

  /** Throws, naming them, when requests arrived that no answer was registered for. */
  assertAllAnswered(): void {
    if (this.unanswered.length) {
      throw new Error(
        `The test registered no answer for ${this.unanswered
          .map(r => `${r.service} ${r.operation}`)
          .join(', ')}`,
      );
    }
  }

  reset(): void {
    this.requests.length = 0;
    this.unanswered.length = 0;
    this.handlers.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private async answer(
    req: http.IncomingMessage,
    body: string,
  ): Promise<WireResponse> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const contentType = String(req.headers['content-type'] ?? '');
    const params = contentType.startsWith('application/x-www-form-urlencoded')
      ? new URLSearchParams(body)
      : new URLSearchParams();
    let json: unknown;
    if (contentType.includes('json') && body) {
      json = JSON.parse(body);
    }
    const signature = parseSignature(req.headers.authorization);
    const target = req.headers['x-amz-target'];
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname);
    const service =
      signature?.service ??
      QUERY_VERSIONS[params.get('Version') ?? ''] ??
      'unsigned';
    const operation =
      params.get('Action') ??
      (typeof target === 'string' ? target.split('.').pop() : undefined) ??
      REST_ROUTES.find(
        r => r.service === service && r.method === method && r.path.test(path),
      )?.operation ??
      `${method} ${path}`;
    const request: WireRequest = {
      method,
      path,
      query: url.searchParams,
      headers: req.headers,
      body,
      params,
      json,
      signature,
      service,
      operation,
    };
    this.requests.push(request);
    const queue = this.handlers.get(`${service}.${operation}`);
    if (!queue?.length) {
      this.unanswered.push(request);
      return {
        status: 501,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          __type: 'NotImplemented',
          message: `The contract test server has no answer for ${service} ${operation}`,
        }),
      };
    }
    const handler = queue.length > 1 ? queue.shift()! : queue[0];
    return handler(request);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Encoders, one per wire protocol.

/** What `xml` renders: text, numbers, booleans, dates, lists and nested elements. */
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | undefined
  | XmlValue[]
  | XmlMembers
  | XmlElements;

/** Child elements by name. */
export type XmlElements = { [element: string]: XmlValue };

interface XmlMembers {
  memberName: string;
  items: XmlValue[];
}

/**
 * A list whose items are named `memberName` rather than `member`: RDS names them after their type
 * (`<DBInstances><DBInstance>...`), as its API reference shows.
 */
export function members(memberName: string, items: XmlValue[]): XmlMembers {
  return { memberName, items };
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function isMembers(value: unknown): value is XmlMembers {
  return Boolean(
    value &&
      typeof value === 'object' &&
      'memberName' in value &&
      'items' in value,
  );
}

function xmlContent(value: XmlValue): string {
  if (value === undefined) {
    return '';
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    return value.map(item => `<member>${xmlContent(item)}</member>`).join('');
  }
  if (isMembers(value)) {
    return value.items
      .map(
        item =>
          `<${value.memberName}>${xmlContent(item)}</${value.memberName}>`,
      )
      .join('');
  }
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .map(([name, child]) => `<${name}>${xmlContent(child)}</${name}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** XML elements of an object: keys become elements, arrays `<member>` lists, dates ISO 8601 (the query format). */
export function xml(value: { [element: string]: XmlValue }): string {
  return xmlContent(value);
}

/** XML namespaces of the query-protocol services. */
export const XMLNS = {
  cloudformation: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  rds: 'http://rds.amazonaws.com/doc/2014-10-31/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  route53: 'https://route53.amazonaws.com/doc/2013-04-01/',
} as const;

/** A query-protocol answer: `<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata/></ActionResponse>`. */
export function queryResult(
  namespace: string,
  action: string,
  result: { [element: string]: XmlValue } = {},
): WireResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${namespace}"><${action}Result>${xml(
      result,
    )}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/** A query-protocol error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function queryError(
  namespace: string,
  code: string,
  message: string,
  status = 400,
): WireResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="${namespace}"><Error><Type>${
      status >= 500 ? 'Receiver' : 'Sender'
    }</Type><Code>${code}</Code><Message>${escapeXml(
      message,
    )}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

/** A restXml answer (Route 53): the document as the action's "Response Syntax" shows it. */
export function restXml(
  namespace: string,
  root: string,
  content: { [element: string]: XmlValue },
  status = 200,
): WireResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${namespace}">${xml(
      content,
    )}</${root}>`,
  };
}

/** A restXml error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function restXmlError(
  namespace: string,
  code: string,
  message: string,
  status: number,
): WireResponse {
  return queryError(namespace, code, message, status);
}

/** An awsJson 1.0/1.1 answer. */
export function awsJson(
  body: unknown,
  version: '1.0' | '1.1' = '1.1',
): WireResponse {
  return {
    status: 200,
    headers: { 'content-type': `application/x-amz-json-${version}` },
    body: JSON.stringify(body),
  };
}

/**
 * An awsJson error: `{"__type": ..., "message": ...}`. `queryError` adds the `x-amzn-query-error` header of
 * query-compatible services (CloudWatch), which carries the error code their query protocol used.
 */
export function awsJsonError(
  type: string,
  message: string,
  options: {
    status?: number;
    version?: '1.0' | '1.1';
    queryError?: string;
  } = {},
): WireResponse {
  return {
    status: options.status ?? 400,
    headers: {
      'content-type': `application/x-amz-json-${options.version ?? '1.1'}`,
      ...(options.queryError
        ? { 'x-amzn-query-error': options.queryError }
        : {}),
    },
    body: JSON.stringify({ __type: type, message }),
  };
}

/** A restJson answer. */
export function restJson(body: unknown, status = 200): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/** A restJson error: the type in `x-amzn-ErrorType`, the message in the body. */
export function restJsonError(
  type: string,
  message: string,
  status = 400,
): WireResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws/`,
    },
    body: JSON.stringify({ message }),
  };
}

/** A timestamp as JSON protocols send it: seconds since the epoch. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

// ---------------------------------------------------------------------------------------------------------------
// Isolation from the machine the tests run on.

/**
 * Fails every DNS lookup and records the host names asked for. Requests to 127.0.0.1 need none, so any lookup means
 * that a request was about to leave for a real host (such as sts.us-east-1.amazonaws.com).
 */
export function guardDns(): {
  lookups: string[];
  restore(): void;
  /** Throws, naming the hosts, when any lookup was attempted. */
  assertNoLookups(): void;
} {
  const lookups: string[] = [];
  const original = dns.lookup;
  const blocked = ((hostname: string, ...rest: unknown[]) => {
    lookups.push(hostname);
    const callback = rest[rest.length - 1] as (error: Error) => void;
    const error = Object.assign(
      new Error(`DNS lookup of ${hostname} refused by the contract test`),
      { code: 'ENOTFOUND', hostname },
    );
    process.nextTick(() => callback(error));
  }) as unknown as typeof dns.lookup;
  dns.lookup = blocked;
  return {
    lookups,
    restore() {
      dns.lookup = original;
    },
    assertNoLookups() {
      if (lookups.length) {
        throw new Error(
          `A request was about to leave for ${lookups.join(
            ', ',
          )} instead of the loopback server`,
        );
      }
    },
  };
}

/**
 * Removes every `AWS_*` variable (endpoint URLs, profiles, keys, Region) for the duration of a test and points the
 * SDK's shared config and credentials files at an empty file, so that only the portal's config decides where
 * requests go.
 */
export function isolateFromAwsEnvironment(): { restore(): void } {
  const saved: Record<string, string | undefined> = {};
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AWS_')) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  }
  const isolated = {
    AWS_CONFIG_FILE: os.devNull,
    AWS_SHARED_CREDENTIALS_FILE: os.devNull,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const [name, value] of Object.entries(isolated)) {
    saved[name] ??= process.env[name];
    process.env[name] = value;
  }
  return {
    restore() {
      for (const name of Object.keys(process.env)) {
        if (name.startsWith('AWS_')) {
          delete process.env[name];
        }
      }
      for (const [name, value] of Object.entries(saved)) {
        if (value !== undefined) {
          process.env[name] = value;
        }
      }
    },
  };
}
