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
      /**
       * Minimum time between two on-demand refreshes of one section (health, findings) of one environment, by
       * anyone; asked again sooner, the refresh answers that the data is fresh and when the next one is possible.
       * Default 60 seconds.
       */
      manualRefreshInterval?: string | HumanDuration;
      /** Limits of the on-demand refreshes (the Refresh buttons, `POST /environments/:namespace/:name/refresh`). */
      manualRefresh?: {
        /**
         * How many on-demand refreshes one user (or calling service) may ask for per rolling hour, across all
         * environments; kept in the database, so it holds across replicas. A refresh that finds every section fresh
         * does not count. Positive integer. Default 30.
         */
        perUserPerHour?: number;
      };
      /** How many environments are collected at once per section. Default 4. */
      concurrency?: number;
      /** How the 90 days of daily costs are kept up to date. */
      costs?: {
        /**
         * Days read again from Cost Explorer on each run once an account's series is stored (daily totals by
         * environment only, one page up to about a thousand environments); older days are kept from the store.
         * Cost Explorer revises roughly the last two days, so the default 3 leaves one to spare. Integer from 1 to
         * 90. Default 3.
         */
        refreshWindowDays?: number;
        /**
         * How often an account's whole 90 days (daily totals) and its service shares (monthly, for the previous and
         * the current month) are read again anyway, to pick up late corrections: last month's bill closing,
         * refunds, credits, a cost-allocation tag backfill. A full read costs 7 requests at 250 environments per
         * account, so the default keeps an account at about $0.97 a month with 3 runs a day
         * (`yarn benchmark:costs`). Default 30 days.
         */
        fullRefreshInterval?: string | HumanDuration;
      };
    };
  };
}
