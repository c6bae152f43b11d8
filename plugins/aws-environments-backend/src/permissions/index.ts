export {
  awsEnvironmentResourceRef,
  awsEnvironmentsConditions,
  awsEnvironmentsPermissionRules,
  createAwsEnvironmentsConditionalDecision,
  findingsReadDecision,
  isEnvironmentOwner,
  ownerOrPlatformTeamDecision,
} from '@internal/plugin-aws-environments-node';
