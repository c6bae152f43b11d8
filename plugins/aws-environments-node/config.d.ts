export interface Config {
  /** The AWS environments plugins: where AWS data comes from and which accounts the portal may touch. */
  awsEnvironments?: {
    /**
     * `aws` talks to AWS with credentials from the `aws` block of `@backstage/integration-aws-node`;
     * `simulated` (the default) answers every AWS call from the embedded, deterministic simulated organization.
     * Visible to the frontend so the UI can label simulated data.
     * @visibility frontend
     */
    mode?: 'aws' | 'simulated';

    /**
     * The allowlist: the only accounts (and Regions) the portal may act in. Any other account id, whether typed into
     * a template form, written on an entity or passed to the API, is refused before any STS call. Required when
     * mode is `aws`; the simulated organization uses these accounts (or its three defaults when empty).
     */
    accounts?: Array<{
      /** 12-digit AWS account id. */
      accountId: string;
      /** Human name of the account, e.g. `innovate-prod`. */
      name?: string;
      /** Stage the account hosts: shared, dev, staging or prod. */
      stage?: 'shared' | 'dev' | 'staging' | 'prod';
      /** Regions the portal may use in the account; the first is the default. */
      regions: string[];
      /**
       * CloudFormation service role the provisioning actions pass as `RoleARN` on every change set in this account.
       * Default `innovate-cloudformation-execution` (created by the account baseline template).
       */
      cloudFormationRoleName?: string;
    }>;

    /**
     * Endpoint override per service, e.g. `{ cloudformation: 'http://127.0.0.1:4566' }`, so that an AWS-compatible
     * emulator (or a VPC endpoint) can stand in for AWS; each value an http(s) URL. Keys: cloudformation, eks, rds,
     * cloudwatch, costexplorer, budgets, securityhub, guardduty, inspector2, sts, resourcegroupstaggingapi, pricing,
     * route53. `sts` also carries the credentials' own STS calls: the role assumption of `aws.accounts[].roleName` and
     * `aws.accountDefaults.roleName` and the caller-identity lookup of the main account. Without a key the SDK's own
     * resolution applies (including the AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> environment variables).
     */
    endpoints?: { [service: string]: string };

    /** The SDK retry strategy every client uses. */
    retry?: {
      /** `adaptive` (default: client-side rate limiting on throttling) or `standard`. */
      mode?: 'adaptive' | 'standard';
      /** Attempts per request including the first; default 6. */
      maxAttempts?: number;
    };

    /**
     * Directory of the environment blueprint (blueprint.yaml and the layer templates) the simulated organization
     * builds its environments from. Default: the first of `<cwd>/templates/aws-environment/cloudformation` and
     * `<cwd>/../../templates/aws-environment/cloudformation` that exists.
     */
    blueprintDir?: string;

    /** Knobs of the simulated organization (mode `simulated` only). */
    simulation?: {
      /** Seed of every generated id, cost and finding; the same seed gives the same organization. Default 7. */
      seed?: number;
      /**
       * Multiplies AWS's real resource durations (EKS cluster ~12 min, Multi-AZ RDS ~18 min, CloudFront ~5 min, NAT
       * gateway ~2 min). Default 0.05: a whole environment takes about a minute. 0 makes everything instant.
       */
      timeScale?: number;
      /** Extra environments (`sim-env-0001`, ...) spread over the dev and prod accounts, for benchmarks. Default 0. */
      extraEnvironments?: number;
      /**
       * `<stackName>/<LogicalResourceId>` entries whose creation or update fails, to exercise rollbacks in tests and
       * demos, e.g. `innovate-qa-data/Database`.
       */
      failResources?: string[];
      /**
       * SQLite file the simulated CloudFormation state is written to (each changed stack) and read at start, so that
       * provisioned stacks (and operations in progress) survive a backend restart; a file of another format, such as
       * the JSON state file of older versions, is replaced with a warning. Default: state in memory only.
       */
      stateFile?: string;
      /**
       * URL of a simulated organization served by another process (see `createSharedSimulationHandler`), so that
       * several backends, such as replicas, see one AWS. The other simulation settings then belong to that process.
       * For tests and demos on loopback only: the endpoint is unauthenticated.
       */
      sharedUrl?: string;
    };
  };
}
