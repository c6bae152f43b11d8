import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { parseTemplate } from '@internal/plugin-aws-environments-node';

/** What a masked value is replaced with in task logs and action outputs. */
export const MASK = '****';

const SECRET_NAME_PATTERN =
  /password|passwd|secret|token|originverify|apikey|api-key|privatekey|credential/i;

/** True when a parameter or output name says its value is a secret. */
export function looksSecret(name: string): boolean {
  return SECRET_NAME_PATTERN.test(name);
}

/** Parameter keys that must never be shown: secret-looking names and NoEcho parameters of the template. */
export function secretParameterKeys(
  templateBody: string,
  parameterKeys: string[],
): Set<string> {
  const keys = new Set(parameterKeys.filter(looksSecret));
  try {
    const template = parseTemplate(templateBody);
    for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
      if (
        parameter.NoEcho === true ||
        String(parameter.NoEcho).toLowerCase() === 'true' ||
        looksSecret(name)
      ) {
        keys.add(name);
      }
    }
  } catch {
    // An unparsable template is rejected by CloudFormation itself; the name rule still applies.
  }
  return keys;
}

/**
 * Collects the secret values of a task so that anything written to its log is scrubbed. Values shorter than
 * four characters are not worth masking (they would garble ordinary words) and are never secrets in practice.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (value && value.length >= 4) this.values.add(value);
  }

  mask(text: string): string {
    let masked = text;
    for (const value of this.values) {
      masked = masked.split(value).join(MASK);
    }
    return masked;
  }

  maskMeta(meta: unknown): unknown {
    if (meta === undefined || meta === null) return meta;
    if (typeof meta === 'string') return this.mask(meta);
    if (meta instanceof Error) return meta;
    try {
      return JSON.parse(this.mask(JSON.stringify(meta)));
    } catch {
      return meta;
    }
  }
}

/** A logger that scrubs every registered secret value from messages and metadata before they reach the task log. */
export function maskingLogger(
  logger: LoggerService,
  secrets: SecretRegistry,
): LoggerService {
  const wrap =
    (level: 'info' | 'warn' | 'error' | 'debug') =>
    (message: string, meta?: Error | JsonObject) =>
      logger[level](
        secrets.mask(message),
        secrets.maskMeta(meta) as Error | JsonObject | undefined,
      );
  return {
    info: wrap('info'),
    warn: wrap('warn'),
    error: wrap('error'),
    debug: wrap('debug'),
    child: (meta: JsonObject) =>
      maskingLogger(
        logger.child(secrets.maskMeta(meta) as JsonObject),
        secrets,
      ),
  };
}

/** A copy of stack outputs with secret-looking or registered secret values replaced by the mask. */
export function maskOutputs(
  outputs: Record<string, string>,
  secrets: SecretRegistry,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs).map(([key, value]) => [
      key,
      looksSecret(key) ? MASK : secrets.mask(value),
    ]),
  );
}
