import { render, screen } from '@testing-library/react';
import { App } from './App';

describe('App', () => {
  it('shows the items the API returns', async () => {
    render(
      <App
        loadItems={async () => [
          { id: 1, name: 'first' },
          { id: 2, name: 'second' },
        ]}
      />,
    );
    expect(screen.getByRole('heading').textContent).toBe('${{ values.name }}');
    expect((await screen.findByText('second')).tagName).toBe('LI');
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
  });

  it('says when there is nothing yet', async () => {
    render(<App loadItems={async () => []} />);
    expect(await screen.findByText('No items yet.')).toBeTruthy();
  });

  it('explains a failure instead of showing an empty page', async () => {
    render(
      <App
        loadItems={async () => {
          throw new Error('The API answered 503');
        }}
      />,
    );
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The API answered 503',
    );
  });
});
