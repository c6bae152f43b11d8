import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  type CreatePreview,
  type PreviewTemplateSource,
  createPreviewDryRun,
  createPreviewProblem,
  readCreatePreview,
} from '@internal/plugin-aws-environments-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useRef, useState } from 'react';
import { formatCurrency } from '../shared';

export interface EnvironmentCreatePreviewUiOptions {
  /** The New template whose deploy step is previewed, e.g. `template:default/aws-environment`. */
  templateRef?: string;
}

type FormValues = Record<string, unknown>;

type PreviewState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'failed'; problem: string }
  | { status: 'done'; preview: CreatePreview; valuesKey: string };

/** The form's values without this field's own, which the preview does not depend on. */
function previewValues(form: FormValues, ownName: string): FormValues {
  const { [ownName]: _own, ...values } = form;
  return values;
}

/** The settings a preview was made for; the estimate follows them, so it is left out. */
const keyOf = (values: FormValues) => {
  const { costEstimate: _estimate, ...settings } = values;
  return JSON.stringify(settings);
};

/**
 * Form field of the New AWS environment template, on its last step: on "Preview", what Create would make, per stack
 * (name, CREATE, resources by logical id and type), with the cost estimate's total beside it. It runs the template's
 * deploy step as `innovate:environment:plan` in create mode through the scaffolder's dry run, as the signed-in
 * person: the same checks and permission decisions as Create, from change sets that are deleted, never executed.
 * Holds no value.
 */
export function EnvironmentCreatePreview(
  props: FieldExtensionComponentProps<
    string,
    EnvironmentCreatePreviewUiOptions
  >,
) {
  const { formContext, schema, uiSchema, idSchema, name } = props;
  const catalogApi = useApi(catalogApiRef);
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const form: FormValues =
    (formContext?.formData as FormValues | undefined) ?? {};
  const values = previewValues(form, name);
  const valuesKey = keyOf(values);
  const templateRef = uiSchema?.['ui:options']?.templateRef;
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  const latest = useRef(0);

  const runPreview = useCallback(async () => {
    const run = ++latest.current;
    const settle = (next: PreviewState) => {
      if (run === latest.current) setState(next);
    };
    setState({ status: 'loading' });
    try {
      if (!templateRef) {
        settle({
          status: 'failed',
          problem:
            'This form does not say which template to preview (ui:options.templateRef); ask the platform team.',
        });
        return;
      }
      const template = (await catalogApi.getEntityByRef(templateRef)) as
        | PreviewTemplateSource
        | undefined;
      if (!template) {
        settle({
          status: 'failed',
          problem: `The template ${templateRef} is not in the catalog, so there is nothing to preview.`,
        });
        return;
      }
      const baseUrl = await discoveryApi.getBaseUrl('scaffolder');
      const response = await fetchApi.fetch(`${baseUrl}/v2/dry-run`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(createPreviewDryRun(template, values)),
      });
      const body = await response.json().catch(() => undefined);
      if (!response.ok) {
        settle({
          status: 'failed',
          problem: createPreviewProblem(body, response.status),
        });
        return;
      }
      settle({ status: 'done', preview: readCreatePreview(body), valuesKey });
    } catch (error) {
      settle({
        status: 'failed',
        problem: `The preview could not be made: ${(error as Error).message}`,
      });
    }
    // The values are read when the button is pressed; valuesKey stands for them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, discoveryApi, fetchApi, templateRef, valuesKey]);

  const headingId = `${idSchema?.$id ?? 'create-preview'}-title`;
  const estimate =
    typeof form.costEstimate === 'number' ? form.costEstimate : undefined;
  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId}>
      <Box p={2}>
        <Typography variant="subtitle1" component="h3" id={headingId}>
          {schema.title ?? 'Preview'}
        </Typography>
        {schema.description && (
          <Typography variant="body2" color="textSecondary">
            {schema.description}
          </Typography>
        )}
        <Box mt={1} mb={1} display="flex" alignItems="center">
          <Button
            variant="outlined"
            color="primary"
            onClick={runPreview}
            disabled={state.status === 'loading'}
          >
            {state.status === 'done' ? 'Preview again' : 'Preview'}
          </Button>
          {state.status === 'loading' && (
            <Box ml={2} display="flex" alignItems="center">
              <CircularProgress size={20} />
              <Box ml={1}>
                <Typography variant="body2" role="status">
                  Previewing: change sets are created, described and deleted,
                  never executed.
                </Typography>
              </Box>
            </Box>
          )}
        </Box>
        {state.status === 'failed' && (
          <Alert severity="error" role="alert">
            {state.problem}
          </Alert>
        )}
        {state.status === 'done' && (
          <PreviewResult
            preview={state.preview}
            estimate={estimate}
            stale={state.valuesKey !== valuesKey}
          />
        )}
      </Box>
    </Paper>
  );
}

function PreviewResult(props: {
  preview: CreatePreview;
  estimate?: number;
  stale: boolean;
}) {
  const { preview, estimate, stale } = props;
  const resources = preview.stacks.reduce(
    (sum, stack) => sum + stack.changes.length,
    0,
  );
  const allNew = preview.stacks.every(
    stack =>
      stack.changeSetType === 'CREATE' &&
      stack.changes.every(change => change.action === 'Add'),
  );
  return (
    <Box>
      {stale && (
        <Alert severity="warning">
          The form has changed since this preview; press Preview again to see
          what Create would make now.
        </Alert>
      )}
      <Typography variant="body1" component="p" aria-live="polite">
        Create makes {preview.stacks.length} stacks with {resources} resources
        {estimate !== undefined
          ? `, estimated at ${formatCurrency(estimate)} per month`
          : ''}
        .
      </Typography>
      <Typography variant="body2" color="textSecondary" component="p">
        {preview.replacements.length === 0
          ? `Nothing is replaced${allNew ? ': every resource is new' : ''}.`
          : `${
              preview.replacements.length
            } resource(s) would be replaced: ${preview.replacements
              .map(r => r.logicalId)
              .join(', ')}.`}
      </Typography>
      {preview.stacks.map(stack => (
        <Box
          key={stack.stackName}
          mt={2}
          component="section"
          aria-label={`Stack ${stack.stackName}`}
        >
          <Typography variant="subtitle2" component="h4">
            {stack.stackName}: {stack.changeSetType}, {stack.changes.length}{' '}
            resources
          </Typography>
          {stack.source === 'template' && (
            <Typography variant="caption" color="textSecondary" component="p">
              From its template: this stack takes its inputs from stacks that do
              not exist yet.
            </Typography>
          )}
          <Table size="small" aria-label={`Resources of ${stack.stackName}`}>
            <TableHead>
              <TableRow>
                <TableCell>Logical id</TableCell>
                <TableCell>Type</TableCell>
                <TableCell>Change</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {stack.changes.map(change => (
                <TableRow key={change.logicalId}>
                  <TableCell>{change.logicalId}</TableCell>
                  <TableCell>{change.resourceType}</TableCell>
                  <TableCell>{change.action}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ))}
    </Box>
  );
}
