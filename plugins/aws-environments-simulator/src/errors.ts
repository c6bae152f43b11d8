import * as budgets from '@aws-sdk/client-budgets';
import * as cloudformation from '@aws-sdk/client-cloudformation';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as costexplorer from '@aws-sdk/client-cost-explorer';
import * as eks from '@aws-sdk/client-eks';
import * as guardduty from '@aws-sdk/client-guardduty';
import * as inspector2 from '@aws-sdk/client-inspector2';
import * as pricing from '@aws-sdk/client-pricing';
import * as rds from '@aws-sdk/client-rds';
import * as resourcegroupstaggingapi from '@aws-sdk/client-resource-groups-tagging-api';
import * as route53 from '@aws-sdk/client-route-53';
import * as securityhub from '@aws-sdk/client-securityhub';
import * as sts from '@aws-sdk/client-sts';

type ServiceExceptionClass = new (options: {
  name: string;
  $fault: 'client' | 'server';
  message?: string;
  $metadata: Record<string, unknown>;
}) => Error;

const PACKAGES: Record<
  string,
  { base: ServiceExceptionClass; module: Record<string, unknown> }
> = {
  budgets: { base: budgets.BudgetsServiceException as any, module: budgets },
  cloudformation: {
    base: cloudformation.CloudFormationServiceException as any,
    module: cloudformation,
  },
  cloudwatch: {
    base: cloudwatch.CloudWatchServiceException as any,
    module: cloudwatch,
  },
  costexplorer: {
    base: costexplorer.CostExplorerServiceException as any,
    module: costexplorer,
  },
  eks: { base: eks.EKSServiceException as any, module: eks },
  route53: { base: route53.Route53ServiceException as any, module: route53 },
  guardduty: {
    base: guardduty.GuardDutyServiceException as any,
    module: guardduty,
  },
  inspector2: {
    base: inspector2.Inspector2ServiceException as any,
    module: inspector2,
  },
  pricing: { base: pricing.PricingServiceException as any, module: pricing },
  rds: { base: rds.RDSServiceException as any, module: rds },
  resourcegroupstaggingapi: {
    base: resourcegroupstaggingapi.ResourceGroupsTaggingAPIServiceException as any,
    module: resourcegroupstaggingapi,
  },
  securityhub: {
    base: securityhub.SecurityHubServiceException as any,
    module: securityhub,
  },
  sts: { base: sts.STSServiceException as any, module: sts },
};

/**
 * An error as the SDK would throw it after deserializing AWS's answer: the client package's modeled exception
 * class when it has one with that name (so `instanceof AlreadyExistsException` works), its ServiceException base
 * class otherwise (e.g. CloudFormation's unmodeled `ValidationError`).
 */
export function awsError(
  service: string,
  name: string,
  message: string,
  httpStatusCode = 400,
): Error {
  const pkg = PACKAGES[service];
  const $metadata = {
    httpStatusCode,
    requestId: 'simulated',
    attempts: 1,
    totalRetryDelay: 0,
  };
  const $fault: 'client' | 'server' =
    httpStatusCode >= 500 ? 'server' : 'client';
  const modeled = pkg?.module[name] ?? pkg?.module[`${name}Exception`];
  if (
    typeof modeled === 'function' &&
    pkg &&
    (modeled as Function).prototype instanceof (pkg.base as Function)
  ) {
    // Modeled exceptions take their name from the class; they accept the same options object.
    const error = new (modeled as ServiceExceptionClass)({
      name,
      $fault,
      message,
      $metadata,
    });
    return error;
  }
  const Base = pkg?.base;
  if (!Base) {
    const error = new Error(message);
    error.name = name;
    return error;
  }
  return new Base({ name, $fault, message, $metadata });
}

/** An error helper bound to one service. */
export function errorsFor(service: string) {
  return (name: string, message: string, httpStatusCode?: number) =>
    awsError(service, name, message, httpStatusCode);
}
