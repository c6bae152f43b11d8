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
 * What sign-in gives a user in the portal: their own ref and the groups they are a member of in the catalog. The
 * test backend's default user info knows only the user's own ref, so no policy could see a team.
 */
export const catalogMembershipUserInfo = createServiceFactory({
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
      const groups = (user?.relations ?? [])
        .filter(relation => relation.type === 'memberOf')
        .map(relation => relation.targetRef);
      return {
        userEntityRef,
        ownershipEntityRefs: [userEntityRef, ...groups],
      };
    },
  }),
});

const MOCK_SERVICE_TOKEN_PREFIX = 'mock-service-token:';

/**
 * The test backend's auth, except that a request one plugin makes on behalf of a user carries that plugin as the
 * actor, as Backstage's real auth does. The permission backend accepts conditional (resource-less) requests only from
 * such plugin requests; the mock drops the actor, which would make every conditional decision a 400.
 */
export const authWithPluginActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const actor = `plugin:${plugin.getId()}`;
    const mock = mockServices.auth({ pluginId: plugin.getId() });
    return {
      async authenticate(token, options) {
        const credentials = await mock.authenticate(token, options);
        if (
          token.startsWith(MOCK_SERVICE_TOKEN_PREFIX) &&
          mock.isPrincipal(credentials, 'user')
        ) {
          const claims = JSON.parse(
            token.slice(MOCK_SERVICE_TOKEN_PREFIX.length),
          );
          if (typeof claims.actor === 'string') {
            return mockCredentials.user(credentials.principal.userEntityRef, {
              actor: { subject: claims.actor },
            }) as typeof credentials;
          }
        }
        return credentials;
      },
      async getPluginRequestToken(options) {
        const { token } = await mock.getPluginRequestToken(options);
        if (
          !mock.isPrincipal(options.onBehalfOf, 'user') ||
          !token.startsWith(MOCK_SERVICE_TOKEN_PREFIX)
        ) {
          return { token };
        }
        const claims = JSON.parse(
          token.slice(MOCK_SERVICE_TOKEN_PREFIX.length),
        );
        return {
          token: `${MOCK_SERVICE_TOKEN_PREFIX}${JSON.stringify({
            ...claims,
            actor,
          })}`,
        };
      },
      getNoneCredentials: () => mock.getNoneCredentials(),
      getOwnServiceCredentials: () => mock.getOwnServiceCredentials(),
      isPrincipal: mock.isPrincipal.bind(mock) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => mock.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => mock.listPublicServiceKeys(),
    };
  },
});

/** The test backend's HTTP auth, reading plugin requests on behalf of a user through the auth above. */
export const httpAuthWithPluginActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata, auth: coreServices.auth },
  factory({ plugin, auth }): HttpAuthService {
    const mock = mockServices.httpAuth({ pluginId: plugin.getId() });
    const credentials: HttpAuthService['credentials'] = async (
      req,
      options,
    ) => {
      const token = req.headers.authorization?.match(/^Bearer[ ]+(\S+)$/i)?.[1];
      if (!token?.startsWith(MOCK_SERVICE_TOKEN_PREFIX)) {
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

/**
 * The three services above, for a test backend in which the permission policy decides on the user's catalog groups
 * and plugins call each other on behalf of that user.
 */
export const signedInUserFeatures = [
  catalogMembershipUserInfo,
  authWithPluginActors,
  httpAuthWithPluginActors,
];
