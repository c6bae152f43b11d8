import { InfoCard, Link } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import CloudIcon from '@material-ui/icons/Cloud';
import CodeIcon from '@material-ui/icons/Code';
import WebIcon from '@material-ui/icons/Web';
import type { ReactNode } from 'react';

interface QuickLink {
  title: string;
  description: string;
  /** The template's page on the Create page: `templates/<name>/template.yaml` registers it. */
  to: string;
  icon: ReactNode;
}

/** The templates people start most often; every other template is one click away on the Create page. */
export const QUICK_LINKS: QuickLink[] = [
  {
    title: 'New AWS environment',
    description:
      'A dev, staging or prod environment of the reference architecture',
    to: '/create/templates/default/aws-environment',
    icon: <CloudIcon />,
  },
  {
    title: 'Flask REST API',
    description: 'A Python API with its image repository and Helm chart',
    to: '/create/templates/default/flask-api',
    icon: <CodeIcon />,
  },
  {
    title: 'React single-page application',
    description: 'A TypeScript SPA built with Vite, with its Helm chart',
    to: '/create/templates/default/react-spa',
    icon: <WebIcon />,
  },
];

/** Quick links to the main templates. */
export function CreateCard() {
  return (
    <InfoCard
      title="Create"
      subheader="Start from a template"
      titleTypographyProps={{ component: 'h2' }}
      deepLink={{ title: 'All templates', link: '/create' }}
    >
      <List dense aria-label="Templates">
        {QUICK_LINKS.map(link => (
          <ListItem key={link.to}>
            <ListItemIcon>{link.icon}</ListItemIcon>
            <ListItemText
              primary={<Link to={link.to}>{link.title}</Link>}
              secondary={link.description}
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}
