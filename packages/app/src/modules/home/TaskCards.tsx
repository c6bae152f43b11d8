import {
  InfoCard,
  Link,
  LinkButton,
  Progress,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import type { ScaffolderTask } from '@backstage/plugin-scaffolder';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';
import { type MyTasksState, describeTask, formatAgo, isPending } from './tasks';

/** How many tasks "Recent tasks" shows. */
export const RECENT_TASKS_SHOWN = 5;

const CREATE_PATH = '/create';
const TASKS_PATH = '/create/tasks';

/** A short message in place of an empty list, with an optional way forward. */
export function CardMessage(props: {
  title: string;
  description: string;
  action?: ReactNode;
}) {
  return (
    <Box py={1}>
      <Typography variant="subtitle1" component="p">
        {props.title}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {props.description}
      </Typography>
      {props.action && <Box mt={2}>{props.action}</Box>}
    </Box>
  );
}

function TaskStatus(props: { status: ScaffolderTask['status'] }) {
  switch (props.status) {
    case 'completed':
      return <StatusOK>Completed</StatusOK>;
    case 'failed':
      return <StatusError>Failed</StatusError>;
    case 'processing':
      return <StatusRunning>Running</StatusRunning>;
    case 'open':
      return <StatusPending>Waiting to start</StatusPending>;
    case 'cancelled':
      return <StatusAborted>Cancelled</StatusAborted>;
    default:
      return <StatusAborted>Skipped</StatusAborted>;
  }
}

function TaskList(props: { tasks: ScaffolderTask[]; label: string }) {
  return (
    <List dense aria-label={props.label}>
      {props.tasks.map(task => (
        <ListItem key={task.id} divider>
          <ListItemText
            primary={
              <Link to={`${TASKS_PATH}/${encodeURIComponent(task.id)}`}>
                {describeTask(task)}
              </Link>
            }
            secondary={
              <>
                <TaskStatus status={task.status} />{' '}
                <span title={task.createdAt}>
                  · started {formatAgo(task.createdAt)}
                </span>
              </>
            }
            secondaryTypographyProps={{ component: 'div' }}
          />
        </ListItem>
      ))}
    </List>
  );
}

function TasksCard(props: {
  title: string;
  subheader: string;
  state: MyTasksState;
  select: (tasks: ScaffolderTask[]) => ScaffolderTask[];
  empty: ReactNode;
}) {
  const { tasks, error } = props.state;
  let body: ReactNode;
  if (tasks) {
    const shown = props.select(tasks);
    body =
      shown.length > 0 ? (
        <TaskList tasks={shown} label={props.title} />
      ) : (
        props.empty
      );
  } else if (error) {
    body = (
      <div role="alert">
        <CardMessage
          title="Your tasks could not be read"
          description={`${error.message.replace(
            /\.$/,
            '',
          )}. The page tries again shortly.`}
        />
      </div>
    );
  } else {
    body = <Progress />;
  }
  return (
    <InfoCard
      title={props.title}
      subheader={props.subheader}
      titleTypographyProps={{ component: 'h2' }}
    >
      {body}
    </InfoCard>
  );
}

/** The user's latest template runs, newest first, each with its status and a link to its task page. */
export function RecentTasksCard(props: { state: MyTasksState }) {
  return (
    <TasksCard
      title="Recent tasks"
      subheader="Templates you ran lately"
      state={props.state}
      select={tasks => tasks.slice(0, RECENT_TASKS_SHOWN)}
      empty={
        <CardMessage
          title="You have not run a template yet"
          description="Environments and applications are created from the templates; each run shows here with its status."
          action={
            <LinkButton to={CREATE_PATH} color="primary" variant="contained">
              Browse templates
            </LinkButton>
          }
        />
      }
    />
  );
}

/**
 * The user's requests that have not finished yet: template runs waiting to start or still running (the portal has
 * no approval step, so a request is pending exactly while its task runs).
 */
export function PendingRequestsCard(props: { state: MyTasksState }) {
  return (
    <TasksCard
      title="Pending requests"
      subheader="Your template runs that have not finished"
      state={props.state}
      select={tasks => tasks.filter(isPending)}
      empty={
        <CardMessage
          title="Nothing pending"
          description="None of your template runs is waiting or running."
        />
      }
    />
  );
}
