import type { HumanDuration } from '@backstage/types';

export interface Config {
  awsEnvironments?: {
    /** Settings of the environment insights backend (`/api/aws-environments`). */
    insights?: {
      /**
       * Catalog ref of the group that sees every environment's security findings, besides each environment's owner.
       * @visibility backend
       */
      platformTeam?: string;
      /**
       * How often each section is collected from AWS, as an ISO 8601 duration (`PT5M`) or an object
       * (`{ minutes: 5 }`). Jobs run in global scope: one replica collects, all serve.
       */
      schedule?: {
        /** Stacks (with their resources, outputs, recent events and drift), EKS, RDS and alarms. Default 5 minutes. */
        health?: string | HumanDuration;
        /** Security Hub (or GuardDuty and Inspector) findings. Default 60 minutes. */
        findings?: string | HumanDuration;
        /**
         * Cost Explorer and Budgets, one Cost Explorer request per account (and page) per run. AWS refreshes cost
         * data about three times a day, so more often only costs money. Default 8 hours.
         */
        costs?: string | HumanDuration;
        /** Delay before the first run after start-up. Default 15 seconds. */
        initialDelay?: string | HumanDuration;
      };
      /** Minimum time between two on-demand refreshes of one environment. Default 60 seconds. */
      manualRefreshInterval?: string | HumanDuration;
      /** How many environments are collected at once per section. Default 4. */
      concurrency?: number;
    };
  };
}
