export interface Config {
  /**
   * Local git publishing of the embedded default (scaffolder actions innovate:publish:local and
   * innovate:catalog:register-file). Present = on; leave the block out in production, where components are
   * published to GitHub.
   */
  localGit?: {
    /**
     * Directory that holds one git repository per published component. Relative paths resolve against the
     * backend's working directory. Default: the first existing `.data` folder of `<cwd>`, `<cwd>/..`,
     * `<cwd>/../..`, plus `/repositories` (for `yarn start` from the repo root or packages/backend alike,
     * `<repo root>/.data/repositories`).
     */
    repositoriesDir?: string;
    /**
     * Lets the catalog API accept `file` locations, so published repositories can be registered (the backend
     * loads this package's catalog module only when true). Never enable it in production: anyone allowed to
     * create locations could make the backend read YAML files on its disk.
     */
    allowFileLocations?: boolean;
  };
}
