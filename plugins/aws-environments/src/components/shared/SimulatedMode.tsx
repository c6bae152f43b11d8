import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Alert from '@material-ui/lab/Alert';
import type { AwsMode } from '@internal/plugin-aws-environments-common';

const EXPLANATION =
  'The portal is answering from its simulated AWS organization, not from real AWS accounts. Figures are realistic but invented.';

/** A compact label for cards. */
export function SimulatedModeChip(props: { mode: AwsMode | undefined }) {
  if (props.mode !== 'simulated') {
    return null;
  }
  return (
    <Tooltip title={EXPLANATION}>
      <Chip size="small" label="Simulated AWS" variant="outlined" tabIndex={0} />
    </Tooltip>
  );
}

/** A banner for pages. */
export function SimulatedModeBanner(props: { mode: AwsMode | undefined }) {
  if (props.mode !== 'simulated') {
    return null;
  }
  return (
    <Alert severity="info" role="status">
      <strong>Simulated AWS organization.</strong> {EXPLANATION}
    </Alert>
  );
}
