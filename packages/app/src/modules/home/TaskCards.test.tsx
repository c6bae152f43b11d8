import { screen, within } from '@testing-library/react';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  scaffolderApiRef,
  type ScaffolderTask,
} from '@backstage/plugin-scaffolder';
import { PendingRequestsCard, RecentTasksCard } from './TaskCards';
import { CreateCard } from './CreateCard';
import { describeTask, useMyTasks } from './tasks';

function makeTask(
  id: string,
  status: ScaffolderTask['status'],
  createdAt: string,
  options: {
    template?: string;
    title?: string | null;
    name?: string | null;
  } = {},
): ScaffolderTask {
  const template = options.template ?? 'aws-environment';
  const title =
    options.title === null ? undefined : options.title ?? 'New AWS environment';
  const name = options.name === null ? undefined : options.name ?? id;
  return {
    id,
    status,
    createdAt,
    spec: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      parameters: name ? { name } : {},
      steps: [],
      output: {},
      templateInfo: {
        entityRef: `template:default/${template}`,
        entity: { metadata: { name: template, title } },
      },
    },
  } as ScaffolderTask;
}

function minutesAgo(minutes: number) {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

/** The two task cards as the home page renders them, from one read of the scaffolder API. */
function TaskCards() {
  const state = useMyTasks(0);
  return (
    <>
      <PendingRequestsCard state={state} />
      <RecentTasksCard state={state} />
    </>
  );
}

function renderCards(listTasks: () => Promise<{ tasks: ScaffolderTask[] }>) {
  const api = { listTasks: jest.fn(listTasks) };
  renderInTestApp(
    <TestApiProvider apis={[[scaffolderApiRef, api as any]]}>
      <TaskCards />
    </TestApiProvider>,
  );
  return api;
}

describe('task cards', () => {
  it('lists the user’s latest tasks with their status and links, and the unfinished ones as pending', async () => {
    const api = renderCards(async () => ({
      tasks: [
        makeTask('t-old', 'completed', minutesAgo(600), {
          template: 'flask-api',
          title: 'Flask REST API',
          name: 'orders-api',
        }),
        makeTask('t-failed', 'failed', minutesAgo(120)),
        makeTask('t-running', 'processing', minutesAgo(3), {
          title: null,
          name: 'team-a-dev',
        }),
        makeTask('t-waiting', 'open', minutesAgo(1)),
      ],
    }));

    const recent = await screen.findByRole('list', { name: 'Recent tasks' });
    const items = within(recent).getAllByRole('listitem');
    // Newest first, whatever order the backend answered in.
    expect(
      items.map(item => within(item).getByRole('link').textContent),
    ).toEqual([
      'New AWS environment: t-waiting',
      'aws-environment: team-a-dev',
      'New AWS environment: t-failed',
      'Flask REST API: orders-api',
    ]);
    expect(items[0]).toHaveTextContent('Waiting to start');
    expect(items[1]).toHaveTextContent('Running');
    expect(items[1]).toHaveTextContent('started 3 minutes ago');
    expect(items[2]).toHaveTextContent('Failed');
    expect(items[3]).toHaveTextContent('Completed');
    expect(within(items[3]).getByRole('link')).toHaveAttribute(
      'href',
      '/create/tasks/t-old',
    );

    const pending = screen.getByRole('list', { name: 'Pending requests' });
    expect(
      within(pending)
        .getAllByRole('link')
        .map(link => link.textContent),
    ).toEqual([
      'New AWS environment: t-waiting',
      'aws-environment: team-a-dev',
    ]);

    expect(api.listTasks).toHaveBeenCalledWith(
      expect.objectContaining({ filterByOwnership: 'owned' }),
    );
  });

  it('shows no more than five recent tasks', async () => {
    renderCards(async () => ({
      tasks: Array.from({ length: 8 }, (_, i) =>
        makeTask(`t-${i}`, 'completed', minutesAgo(i)),
      ),
    }));
    const recent = await screen.findByRole('list', { name: 'Recent tasks' });
    expect(within(recent).getAllByRole('listitem')).toHaveLength(5);
    expect(screen.getByText('Nothing pending')).toBeInTheDocument();
  });

  it('says so when the user has run no template, and offers the templates', async () => {
    renderCards(async () => ({ tasks: [] }));
    expect(
      await screen.findByText('You have not run a template yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Browse templates' }),
    ).toHaveAttribute('href', '/create');
    expect(screen.getByText('Nothing pending')).toBeInTheDocument();
  });

  it('says in a sentence when the tasks cannot be read', async () => {
    renderCards(async () => {
      throw new Error('Request failed with 503');
    });
    const alerts = await screen.findAllByRole('alert');
    expect(alerts).toHaveLength(2);
    for (const alert of alerts) {
      expect(alert).toHaveTextContent('Your tasks could not be read');
      expect(alert).toHaveTextContent(
        'Request failed with 503. The page tries again shortly.',
      );
    }
  });
});

describe('describeTask', () => {
  it('names a task by its template when the form asked for no name', () => {
    expect(
      describeTask(
        makeTask('t', 'completed', minutesAgo(1), {
          template: 'aws-account-baseline',
          title: null,
          name: null,
        }),
      ),
    ).toBe('aws-account-baseline');
  });
});

describe('CreateCard', () => {
  it('links to the main templates and to all of them', async () => {
    renderInTestApp(<CreateCard />);
    expect(
      await screen.findByRole('link', { name: 'New AWS environment' }),
    ).toHaveAttribute('href', '/create/templates/default/aws-environment');
    expect(
      screen.getByRole('link', { name: 'Flask REST API' }),
    ).toHaveAttribute('href', '/create/templates/default/flask-api');
    expect(
      screen.getByRole('link', { name: 'React single-page application' }),
    ).toHaveAttribute('href', '/create/templates/default/react-spa');
    expect(screen.getByRole('link', { name: /All templates/ })).toHaveAttribute(
      'href',
      '/create',
    );
  });
});
