/**
 * Security findings of the simulated organization, in AWS Security Finding Format, with GuardDuty's and Inspector's
 * own views of the same findings. Resources are the environments' real (simulated) resources, tagged like them,
 * and each configuration finding follows from the properties its stack gave the resource.
 */
export { toAsff } from './asff';
export {
  detectorIdFor,
  FindingsModel,
  type SimulatedFinding,
} from './generator';
export { guardDutyHandlers } from './guardDuty';
export { inspectorHandlers } from './inspector';
export { securityHubHandlers } from './securityHub';
