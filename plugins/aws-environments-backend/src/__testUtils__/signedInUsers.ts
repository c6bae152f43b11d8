import {
  type AuthService,
  type HttpAuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { InputError, NotAllowedError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';

/**
 * Services of a test backend in which the permission policy decides on the user's catalog groups, as after sign-in
 * in the portal, and plugins call each other on behalf of that user.
 */

/** A user's ownership refs: their own ref and the groups the catalog says they are a member of. */
const userInfoFromCatalog = createServiceFactory({
  service: coreServices.userInfo,
  deps: { catalog: catalogServiceRef, auth: coreServices.auth },
  factory: ({ catalog, auth }) => ({
    async getUserInfo(credentials) {
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new InputError('User info is only available for users');
      }
      const { userEntityRef } = credentials.principal;
      const user = await catalog.getEntityByRef(userEntityRef, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(user?.relations ?? [])
            .filter(relation => relation.type === 'memberOf')
            .map(relation => relation.targetRef),
        ],
      };
    },
  }),
});

const SERVICE_TOKEN = 'mock-service-token:';

function tokenClaims(token: string): Record<string, unknown> {
  return JSON.parse(token.slice(SERVICE_TOKEN.length));
}

/**
 * The mock auth, except that a plugin's request on behalf of a user names that plugin as its actor, as real auth
 * does: the permission backend answers a request without a resource ref (a conditional decision) only then.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const mock = mockServices.auth({ pluginId: plugin.getId() });
    return {
      async authenticate(token, options) {
        const credentials = await mock.authenticate(token, options);
        if (
          token.startsWith(SERVICE_TOKEN) &&
          mock.isPrincipal(credentials, 'user')
        ) {
          const { actor } = tokenClaims(token);
          if (typeof actor === 'string') {
            return mockCredentials.user(credentials.principal.userEntityRef, {
              actor: { subject: actor },
            }) as typeof credentials;
          }
        }
        return credentials;
      },
      async getPluginRequestToken(options) {
        const { token } = await mock.getPluginRequestToken(options);
        if (
          !mock.isPrincipal(options.onBehalfOf, 'user') ||
          !token.startsWith(SERVICE_TOKEN)
        ) {
          return { token };
        }
        const claims = {
          ...tokenClaims(token),
          actor: `plugin:${plugin.getId()}`,
        };
        return { token: `${SERVICE_TOKEN}${JSON.stringify(claims)}` };
      },
      getNoneCredentials: () => mock.getNoneCredentials(),
      getOwnServiceCredentials: () => mock.getOwnServiceCredentials(),
      isPrincipal: mock.isPrincipal.bind(mock) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => mock.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => mock.listPublicServiceKeys(),
    };
  },
});

/** The mock HTTP auth, reading a plugin's request on behalf of a user through the auth above. */
const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata, auth: coreServices.auth },
  factory({ plugin, auth }): HttpAuthService {
    const mock = mockServices.httpAuth({ pluginId: plugin.getId() });
    const credentials: HttpAuthService['credentials'] = async (
      req,
      options,
    ) => {
      const token = req.headers.authorization?.match(/^Bearer[ ]+(\S+)$/i)?.[1];
      if (!token?.startsWith(SERVICE_TOKEN)) {
        return mock.credentials(req, options);
      }
      const authenticated = await auth.authenticate(token);
      const { type } = authenticated.principal as { type: string };
      const allowed: string[] | undefined = options?.allow;
      if (allowed && !allowed.includes(type)) {
        throw new NotAllowedError(
          `This endpoint does not accept ${type} credentials`,
        );
      }
      return authenticated as never;
    };
    return {
      credentials,
      issueUserCookie: (res, options) => mock.issueUserCookie(res, options),
    };
  },
});

export const signedInUserFeatures = [
  userInfoFromCatalog,
  authWithActors,
  httpAuthWithActors,
];
