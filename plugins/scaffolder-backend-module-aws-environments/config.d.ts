export interface Config {
  awsEnvironments?: {
    /**
     * Directory of the environment blueprint (blueprint.yaml and the layer templates). Defaults to the first
     * existing of `<cwd>/templates/aws-environment/cloudformation` and
     * `<cwd>/../../templates/aws-environment/cloudformation`.
     */
    blueprintDir?: string;
    /** How the provisioning actions wait for CloudFormation. */
    provisioning?: {
      /** Seconds between stack status and event polls while waiting. Default 10 (1 in simulated mode). */
      pollIntervalSeconds?: number;
      /** Upper bound of one stack operation wait, in minutes. Default 90 (a Multi-AZ RDS can take 40+). */
      maxWaitMinutes?: number;
      /** A log line at least this often while waiting, so a proxy never closes the live log. Default 25. */
      heartbeatSeconds?: number;
      /** How long innovate:environment:register waits for the catalog entity. Default 120. */
      registrationTimeoutSeconds?: number;
    };
  };
}
