export interface Config {
  permission?: {
    /** Innovate's permission policy (plugins/permission-backend-module-innovate-policy). */
    innovate?: {
      /**
       * Catalog ref of the platform team: its members may do everything, including creating, updating and
       * tearing down production environments. Default `group:default/platform-team`.
       */
      platformTeam?: string;
    };
  };
}
