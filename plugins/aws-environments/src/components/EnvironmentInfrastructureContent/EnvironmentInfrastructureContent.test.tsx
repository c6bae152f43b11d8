import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EnvironmentInfrastructureContent } from './EnvironmentInfrastructureContent';
import {
  FakeAwsEnvironmentsApi,
  pending,
} from '../../__fixtures__/FakeAwsEnvironmentsApi';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { makeStacks } from '../../__fixtures__';

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
});
