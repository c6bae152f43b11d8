import type {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { EnvironmentHistoryEntry } from '@internal/plugin-aws-environments-common';
import express from 'express';
import Router from 'express-promise-router';
import { randomUUID } from 'node:crypto';
import type { EnvironmentHistory } from './EnvironmentHistory';

const SECTIONS = ['health', 'findings'];

/**
 * Audits every on-demand refresh (`POST /environments/:namespace/:name/refresh`) through the auditor, and keeps the
 * ones that ran (answered 200) or broke (5xx) in the environment's history. Mounted ahead of the routes, so the refresh
 * route itself stays plain HTTP; refusals (403, 429) and bad requests reach the audit log only.
 */
export function refreshAuditRouter(options: {
  auditor: AuditorService;
  history: EnvironmentHistory;
  httpAuth: HttpAuthService;
  auth: AuthService;
  logger: LoggerService;
}): express.Router {
  const { auditor, history, httpAuth, auth, logger } = options;
  const router = Router();
  router.post(
    '/environments/:namespace/:name/refresh',
    async (req, res, next) => {
      let actor: string;
      try {
        const credentials = await httpAuth.credentials(req, {
          allow: ['user', 'service'],
        });
        actor = auth.isPrincipal(credentials, 'user')
          ? credentials.principal.userEntityRef
          : `service:${
              (credentials.principal as { subject?: string }).subject ??
              'unknown'
            }`;
      } catch {
        // The route answers the unauthenticated request itself.
        next();
        return;
      }
      const entityRef = stringifyEntityRef({
        kind: 'resource',
        namespace: req.params.namespace,
        name: req.params.name,
      });
      const section =
        typeof req.query.section === 'string' ? req.query.section : undefined;
      const sections = section ? [section] : SECTIONS;
      const startedAt = new Date();
      const event = await auditor.createEvent({
        eventId: 'environment-refresh',
        severityLevel: 'low',
        request: req,
        meta: { entityRef, sections },
      });
      res.on('finish', () => {
        const status = res.statusCode;
        const succeeded = status < 400;
        const message = succeeded
          ? `Collected ${sections.join(' and ')} on request.`
          : `The refresh was not done (HTTP ${status}).`;
        const audited = succeeded
          ? event.success({ meta: { status } })
          : event.fail({ error: new Error(message), meta: { status } });
        const kept =
          status === 200 || status >= 500
            ? history.record(
                refreshEntry({
                  entityRef,
                  actor,
                  sections,
                  succeeded,
                  message,
                  startedAt,
                }),
              )
            : Promise.resolve();
        Promise.all([audited, kept]).catch(error =>
          logger.warn(
            `Could not record the refresh of ${entityRef} in its history: ${
              (error as Error).message
            }`,
          ),
        );
      });
      next();
    },
  );
  return router;
}

function refreshEntry(options: {
  entityRef: string;
  actor: string;
  sections: string[];
  succeeded: boolean;
  message: string;
  startedAt: Date;
}): EnvironmentHistoryEntry {
  return {
    id: `refresh:${randomUUID()}`,
    entityRef: options.entityRef,
    operation: 'refresh',
    actor: options.actor,
    inputs: { sections: options.sections },
    changes: [],
    result: options.succeeded ? 'succeeded' : 'failed',
    message: options.message,
    startedAt: options.startedAt.toISOString(),
    completedAt: new Date().toISOString(),
  };
}
