import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import {
  EnvironmentHistoryCard,
  HISTORY_PAGE_SIZE,
} from './EnvironmentHistoryCard';
import {
  FakeAwsEnvironmentsApi,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { historyPage, makeHistoryEntry } from '../../__fixtures__/history';
import { renderForEntity } from '../../__testUtils__/renderForEntity';

describe('EnvironmentHistoryCard', () => {
  it('shows progress while the history loads', async () => {
    await renderForEntity(
      <EnvironmentHistoryCard />,
      new FakeAwsEnvironmentsApi({ getHistory: () => pending() }),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('lists who did what, when, how it ended and the task, newest first', async () => {
    const api = new FakeAwsEnvironmentsApi();
    await renderForEntity(<EnvironmentHistoryCard />, api);

    const table = await screen.findByRole('table', {
      name: 'Operations on the environment',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);

    const [failed, updated, created] = rows;
    expect(failed).toHaveTextContent('2026-11-25 09:12 UTC');
    expect(failed).toHaveTextContent(
      'Updated with aws-environment-update 1.2.0',
    );
    expect(failed).toHaveTextContent('maria.lopez');
    expect(failed).toHaveTextContent('Failed');
    expect(failed).toHaveTextContent(
      'innovate-prod-data: the update failed and was rolled back.',
    );
    expect(
      within(failed).getByRole('link', { name: 'Open task' }),
    ).toHaveAttribute('href', '/create/tasks/t-3');

    expect(updated).toHaveTextContent('Succeeded');
    expect(updated).toHaveTextContent(
      'data: updated (2 modified), 1 replacement',
    );
    expect(created).toHaveTextContent('Created with aws-environment');
    expect(created).toHaveTextContent('aisha.khan');
    expect(created).toHaveTextContent('network: created (14 added)');
    expect(screen.getByText('1–3 of 3')).toBeInTheDocument();
    expect(api.historyQueries[0]).toEqual({
      limit: HISTORY_PAGE_SIZE,
      offset: 0,
    });
  });

  it('pages to older entries and back', async () => {
    const entries = Array.from({ length: HISTORY_PAGE_SIZE + 2 }, (_, i) =>
      makeHistoryEntry({
        id: `task:t-${i}:deploy`,
        task: { id: `t-${i}`, stepId: 'deploy', url: `/create/tasks/t-${i}` },
        completedAt: new Date(
          Date.UTC(2026, 10, 20, 12, 0) - i * 3_600_000,
        ).toISOString(),
      }),
    );
    const api = new FakeAwsEnvironmentsApi({
      getHistory: async (ref, query = {}) =>
        historyPage(
          `resource:${ref.namespace}/${ref.name}`,
          entries,
          query.limit,
          query.offset,
        ),
    });
    await renderForEntity(<EnvironmentHistoryCard />, api);
    await screen.findByText(
      `1–${HISTORY_PAGE_SIZE} of ${HISTORY_PAGE_SIZE + 2}`,
    );
    expect(screen.getByRole('button', { name: 'Newer' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Older' }));
    await screen.findByText(
      `${HISTORY_PAGE_SIZE + 1}–${HISTORY_PAGE_SIZE + 2} of ${
        HISTORY_PAGE_SIZE + 2
      }`,
    );
    const rows = within(
      screen.getByRole('table', { name: 'Operations on the environment' }),
    ).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(
      within(rows[1]).getByRole('link', { name: 'Open task' }),
    ).toHaveAttribute('href', `/create/tasks/t-${HISTORY_PAGE_SIZE}`);
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Newer' }));
    await waitFor(() =>
      expect(
        screen.getByText(`1–${HISTORY_PAGE_SIZE} of ${HISTORY_PAGE_SIZE + 2}`),
      ).toBeInTheDocument(),
    );
  });

  it('says so when nothing has been recorded', async () => {
    const api = new FakeAwsEnvironmentsApi({
      getHistory: async ref =>
        historyPage(`resource:${ref.namespace}/${ref.name}`, []),
    });
    await renderForEntity(<EnvironmentHistoryCard />, api);
    expect(
      await screen.findByText(
        /Nothing has been recorded for this environment yet/,
      ),
    ).toBeInTheDocument();
  });

  it("shows the server's message when the history cannot be read", async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message:
            'No AWS environment resource:default/innovate-dev in the catalog',
        },
        request: { method: 'GET', url: '/history' },
        response: { statusCode: 404 },
      }),
      {
        status: 404,
        statusText: 'Not Found',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response as any);
    await renderForEntity(
      <EnvironmentHistoryCard />,
      new FakeAwsEnvironmentsApi({
        getHistory: async () => {
          throw error;
        },
      }),
    );
    expect(
      await screen.findByText(
        'No AWS environment resource:default/innovate-dev in the catalog',
      ),
    ).toBeInTheDocument();
  });
});
