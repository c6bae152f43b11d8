import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EnvironmentInfrastructureContent } from './EnvironmentInfrastructureContent';
import {
  FakeAwsEnvironmentsApi,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { makeStacks } from '../../__fixtures__';
import type { AwsEnvironmentsApi, EnvironmentStacks } from '../../api/types';

describe('EnvironmentInfrastructureContent', () => {
  it('shows progress while the stacks load', async () => {
    await renderForEntity(
      <EnvironmentInfrastructureContent />,
      new FakeAwsEnvironmentsApi({ getStacks: () => pending() }),
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('lists the stacks and opens one to show resources, outputs and events', async () => {
    await renderForEntity(<EnvironmentInfrastructureContent />, new FakeAwsEnvironmentsApi());

    expect(await screen.findByText('Simulated AWS organization.')).toBeInTheDocument();
    expect(screen.getByText('This is the latest version.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Sign in to account 333333333333/ })).toHaveAttribute(
      'href',
      'https://333333333333.signin.aws.amazon.com/console',
    );

    await userEvent.click(screen.getByRole('button', { name: /innovate-prod-network/ }));

    const outputs = await screen.findByRole('table', { name: 'Outputs of innovate-prod-network' });
    expect(within(outputs).getByText('vpc-0123456789abcdef0')).toBeInTheDocument();
    const events = screen.getByRole('table', { name: 'Recent events of innovate-prod-network' });
    expect(within(events).getAllByRole('row')).toHaveLength(3);
    expect(screen.getByRole('link', { name: /Open in the console/ })).toHaveAttribute(
      'href',
      expect.stringContaining('eu-central-1.console.aws.amazon.com/cloudformation'),
    );
  });

  it('says a newer template version exists', async () => {
    await renderForEntity(
      <EnvironmentInfrastructureContent />,
      new FakeAwsEnvironmentsApi({
        getStacks: async () =>
          makeStacks({
            template: { name: 'aws-environment', version: '1.0.0', latestVersion: '1.1.0', behind: true },
          }),
      }),
    );
    expect(await screen.findByText(/Version 1.1.0 of aws-environment exists/)).toBeInTheDocument();
  });

  it('explains an environment without stacks', async () => {
    await renderForEntity(
      <EnvironmentInfrastructureContent />,
      new FakeAwsEnvironmentsApi({ getStacks: async () => makeStacks({ stacks: [] }) }),
    );
    expect(await screen.findByText('No stacks found')).toBeInTheDocument();
  });

  it('shows the error when the stacks cannot be read', async () => {
    await renderForEntity(
      <EnvironmentInfrastructureContent />,
      new FakeAwsEnvironmentsApi({ getStacks: () => Promise.reject(new Error('Not allowed')) }),
    );
    expect(await screen.findByRole('heading', { name: /Not allowed/ })).toBeInTheDocument();
  });

  describe('while open', () => {
    beforeEach(() => {
      jest.useFakeTimers({ now: new Date(2026, 10, 27, 9, 5) });
    });

    afterEach(() => {
      // Unmount while the fake clock is installed, so the tab's interval is cleared on the clock that holds it.
      cleanup();
      jest.useRealTimers();
    });

    // Rendering, clicks and time passing happen inside an async act(), which also settles the reads they start.
    async function renderOpenTab(api: AwsEnvironmentsApi) {
      await renderForEntity(<EnvironmentInfrastructureContent />, api);
      await act(async () => {});
    }

    async function letOneMinutePass() {
      await act(async () => {
        jest.advanceTimersByTime(60_000);
      });
    }

    function networkStack() {
      return screen.getByRole('button', { name: /innovate-prod-network/ });
    }

    function withNetworkStatus(status: string): EnvironmentStacks {
      const stacks = makeStacks();
      stacks.stacks[0] = { ...stacks.stacks[0], status };
      return stacks;
    }

    it('shows a stack coming up without a reload, keeping the opened stack open', async () => {
      let stacks = withNetworkStatus('CREATE_IN_PROGRESS');
      await renderOpenTab(
        new FakeAwsEnvironmentsApi({ getStacks: async () => stacks }),
      );
      expect(networkStack()).toHaveTextContent('CREATE_IN_PROGRESS');
      await act(async () => {
        fireEvent.click(networkStack());
      });
      expect(
        screen.getByRole('table', { name: 'Outputs of innovate-prod-network' }),
      ).toBeInTheDocument();

      stacks = withNetworkStatus('CREATE_COMPLETE');
      await letOneMinutePass();

      expect(networkStack()).toHaveTextContent('CREATE_COMPLETE');
      expect(
        screen.getByRole('table', { name: 'Outputs of innovate-prod-network' }),
      ).toBeInTheDocument();
    });

    it('keeps the stacks and says so when a refresh fails', async () => {
      let failure: Error | undefined;
      await renderOpenTab(
        new FakeAwsEnvironmentsApi({
          getStacks: async () => {
            if (failure) {
              throw failure;
            }
            return makeStacks();
          },
        }),
      );
      expect(networkStack()).toBeInTheDocument();

      failure = new Error('Failed to fetch');
      await letOneMinutePass();

      expect(
        screen.getByText(
          /^Could not refresh: Failed to fetch, showing data from 09:05 \S+$/,
        ),
      ).toBeInTheDocument();
      expect(networkStack()).toBeInTheDocument();

      failure = undefined;
      await letOneMinutePass();

      expect(screen.queryByText(/Could not refresh/)).not.toBeInTheDocument();
    });
  });
});
