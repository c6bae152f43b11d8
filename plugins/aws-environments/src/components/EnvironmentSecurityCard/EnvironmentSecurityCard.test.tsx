import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EnvironmentSecurityCard, TOP_FINDINGS_LIMIT } from './EnvironmentSecurityCard';
import {
  FakeAwsEnvironmentsApi,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { makeFindings } from '../../__fixtures__';

describe('EnvironmentSecurityCard', () => {
  it('shows progress while findings load', async () => {
    await renderForEntity(
      <EnvironmentSecurityCard />,
      new FakeAwsEnvironmentsApi({ getFindings: () => pending() }),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows counts by severity and the top findings with their details', async () => {
    const api = new FakeAwsEnvironmentsApi();
    await renderForEntity(<EnvironmentSecurityCard />, api);

    const counts = await screen.findByRole('list', { name: 'Active findings by severity' });
    expect(counts).toHaveTextContent('Critical: 1');
    expect(counts).toHaveTextContent('High: 4');

    const table = screen.getByRole('table', { name: 'Top findings' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toHaveTextContent('Critical');
    expect(rows[1]).toHaveTextContent('i-0abc1234');
    expect(rows[1]).toHaveTextContent('Inspector');
    expect(within(rows[2]).getByRole('link', { name: /S3 bucket allows public read/ })).toHaveAttribute(
      'href',
      expect.stringContaining('securityhub'),
    );
    expect(api.findingsQueries[0]).toEqual({
      severity: undefined,
      product: undefined,
      limit: TOP_FINDINGS_LIMIT,
    });
  });

  it('filters by severity and by product through the API', async () => {
    const api = new FakeAwsEnvironmentsApi();
    await renderForEntity(<EnvironmentSecurityCard />, api);
    await screen.findByRole('table', { name: 'Top findings' });

    await userEvent.selectOptions(screen.getByLabelText('Severity'), 'CRITICAL');
    await waitFor(() =>
      expect(within(screen.getByRole('table', { name: 'Top findings' })).getAllByRole('row')).toHaveLength(2),
    );
    expect(api.findingsQueries.at(-1)?.severity).toEqual(['CRITICAL']);

    await userEvent.selectOptions(screen.getByLabelText('Severity'), '');
    await userEvent.selectOptions(screen.getByLabelText('Product'), 'GuardDuty');
    await waitFor(() =>
      expect(screen.getByRole('table', { name: 'Top findings' })).toHaveTextContent(
        'Unusual API call',
      ),
    );
    expect(api.findingsQueries.at(-1)).toEqual({
      severity: undefined,
      product: 'GuardDuty',
      limit: TOP_FINDINGS_LIMIT,
    });
  });

  it('says when no finding matches', async () => {
    await renderForEntity(
      <EnvironmentSecurityCard />,
      new FakeAwsEnvironmentsApi({ getFindings: async () => makeFindings({ top: [] }) }),
    );
    expect(await screen.findByText('No active findings match.')).toBeInTheDocument();
  });

  it('marks stale findings', async () => {
    await renderForEntity(
      <EnvironmentSecurityCard />,
      new FakeAwsEnvironmentsApi({ getFindings: async () => makeFindings({ stale: true }) }),
    );
    expect(await screen.findByText('Stale')).toBeInTheDocument();
  });

  it('refreshes only the findings, then says when they were collected', async () => {
    const api = new FakeAwsEnvironmentsApi();
    await renderForEntity(<EnvironmentSecurityCard />, api);
    const button = await screen.findByRole('button', { name: 'Refresh security findings' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    expect(
      await screen.findByText(/^Refreshed at \d\d:\d\d \(UTC\) — next refresh possible in \d+ s$/),
    ).toBeInTheDocument();
    expect(api.refreshOptions).toEqual([{ section: 'findings' }]);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a findings refresh that someone else started as still running, not as an error', async () => {
    const api = new FakeAwsEnvironmentsApi({
      refresh: async () => ({
        entityRef: 'resource:default/innovate-prod',
        sections: [
          {
            section: 'findings',
            ok: true,
            state: 'queued',
            nextRefreshAt: new Date(Date.now() + 30_000).toISOString(),
          },
        ],
      }),
    });
    await renderForEntity(<EnvironmentSecurityCard />, api);
    const button = await screen.findByRole('button', { name: 'Refresh security findings' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    expect(
      await screen.findByText(/^A refresh asked for moments ago is still running — next refresh possible in \d+ s$/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the error when findings cannot be read', async () => {
    await renderForEntity(
      <EnvironmentSecurityCard />,
      new FakeAwsEnvironmentsApi({
        getFindings: () => Promise.reject(new Error('Security Hub is not enabled')),
      }),
    );
    expect(
      await screen.findByRole('heading', { name: /Security Hub is not enabled/ }),
    ).toBeInTheDocument();
  });
});
