/**
 * Local git publishing for the embedded default: scaffolder actions innovate:component:validate,
 * innovate:publish:local and innovate:catalog:register-file, plus a catalog module that accepts file locations.
 *
 * @packageDocumentation
 */
export { scaffolderModuleLocalGit as default } from './module';
export { catalogModuleFileLocations } from './catalogModule';
export { createPublishLocalAction } from './actions/publishLocal';
export { createRegisterFileAction } from './actions/registerFile';
export { createValidateComponentAction } from './actions/validateComponent';
export type { LocalGitSettings } from './lib/settings';
export { readLocalGitSettings, defaultRepositoriesDir } from './lib/settings';
export type { TargetEnvironment } from './lib/environments';
