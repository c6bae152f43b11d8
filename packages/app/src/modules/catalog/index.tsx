import {
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';

/**
 * The catalog's index page at `/catalog`, as `@backstage/plugin-catalog` builds it (the filters other extensions
 * attach to it included), with columns whose words never break across lines.
 */
export const catalogIndexPage = catalogPlugin
  .getExtension('page:catalog')
  .override({
    factory(originalFactory, { inputs, config }) {
      const filters = inputs.filters.map(filter =>
        filter.get(coreExtensionData.reactElement),
      );
      return originalFactory({
        params: {
          loader: async () => {
            const [{ CatalogIndexPage }, { catalogColumns }] =
              await Promise.all([
                import('@backstage/plugin-catalog/alpha'),
                import('./columns'),
              ]);
            return (
              <CatalogIndexPage
                filters={<>{filters}</>}
                columns={catalogColumns}
                pagination={config.pagination}
                exportSettings={
                  config.exportSettings?.enabled
                    ? config.exportSettings
                    : undefined
                }
              />
            );
          },
        },
      });
    },
  });

export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [catalogIndexPage],
});
