import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { stripErrorStacks } from './errorBodies';

/**
 * Runs an error through Backstage's own error middleware, behind `stripErrorStacks`, and returns the body it sends.
 * Backstage adds stack traces to error bodies in development, which is how the embedded default runs.
 */
function errorBody(
  error: Error,
  options: { strip: boolean } = { strip: true },
) {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  try {
    const handler = MiddlewareFactory.create({
      config: mockServices.rootConfig({ data: {} }),
      logger: mockServices.logger.mock(),
    }).error();
    let sent: any;
    const res: any = {
      statusCode: 200,
      headersSent: false,
      status(code: number) {
        this.statusCode = code;
        return this;
      },
      json(body: unknown) {
        sent = body;
        return this;
      },
    };
    if (options.strip) {
      stripErrorStacks({}, res, () => {});
    }
    handler(error, { method: 'GET', url: '/api/x' } as any, res, () => {});
    return { status: res.statusCode, body: sent };
  } finally {
    process.env.NODE_ENV = previous;
  }
}

describe('error bodies', () => {
  it('keep the message of a refused request and drop its stack trace', () => {
    const refused = new Error('Budget must be a number from 1 to 1,000,000');
    refused.name = 'InputError';
    const { status, body } = errorBody(refused);
    expect(status).toBe(400);
    expect(body.error).toEqual({
      name: 'InputError',
      message: 'Budget must be a number from 1 to 1,000,000',
    });
    expect(body.response).toEqual({ statusCode: 400 });
    expect(body.request).toEqual({ method: 'GET', url: '/api/x' });
  });

  it('drop the stack trace of a failure that Backstage would show in development', () => {
    const failure = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    expect(errorBody(failure, { strip: false }).body.error.stack).toMatch(
      /\bat .+:\d+:\d+/,
    );
    const { status, body } = errorBody(failure);
    expect(status).toBe(500);
    expect(body.error).toEqual({
      name: 'Error',
      message: 'connect ECONNREFUSED 127.0.0.1:5432',
    });
  });

  it('leave ordinary answers alone', () => {
    let sent: unknown;
    const res = {
      statusCode: 200,
      json(body: unknown) {
        sent = body;
        return body;
      },
    };
    stripErrorStacks({}, res, () => {});
    res.json({ error: { stack: 'kept: not an error answer' }, ok: true });
    expect(sent).toEqual({
      error: { stack: 'kept: not an error answer' },
      ok: true,
    });
  });
});
