import { createFrontendModule } from '@backstage/frontend-plugin-api';
import homePlugin from '@backstage/plugin-home/alpha';

/**
 * The home page of `@backstage/plugin-home` at `/`, the page after sign-in, with the portal's own content instead
 * of the plugin's customizable widget grid: a fixed set of sections every person of the portal needs.
 */
export const homePage = homePlugin.getExtension('page:home').override({
  params: {
    path: '/',
    loader: () => import('./HomePage').then(m => <m.HomePage />),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [homePage],
});
