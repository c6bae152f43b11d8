export interface Config {
  /** Local git publishing of the embedded default (scaffolder action innovate:publish:local). */
  localGit?: {
    /**
     * Directory that holds one git repository per published component. Relative paths resolve against the
     * backend's working directory. Default: the first existing `.data` folder of `<cwd>`, `<cwd>/..`,
     * `<cwd>/../..`, plus `/repositories` (for `yarn start` from the repo root or packages/backend alike,
     * `<repo root>/.data/repositories`).
     */
    repositoriesDir?: string;
  };
}
