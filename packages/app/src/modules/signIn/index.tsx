import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * The sign-in page offers the providers named in `app.signInProviders`: guest on the embedded default, GitHub in
 * production (app-config.production.yaml), so the production app never shows a guest button.
 */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => {
      const { SignInPage } = await import('@backstage/core-components');
      const { configApiRef, githubAuthApiRef, useApi } = await import(
        '@backstage/core-plugin-api'
      );
      const github = {
        id: 'github-auth-provider',
        title: 'GitHub',
        message: 'Sign in with your GitHub account',
        apiRef: githubAuthApiRef,
      };
      return props => {
        const config = useApi(configApiRef);
        const wanted = config.getOptionalStringArray('app.signInProviders') ?? [
          'guest',
        ];
        const providers = wanted.map(id =>
          id === 'github' ? github : ('guest' as const),
        );
        return <SignInPage {...props} providers={providers} />;
      };
    },
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
