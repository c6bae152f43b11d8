import {
  Link,
  sidebarConfig,
  useSidebarOpenState,
} from '@backstage/core-components';
import { makeStyles } from '@material-ui/core';
import { LogoFull } from './LogoFull';
import { LogoIcon } from './LogoIcon';

const useSidebarLogoStyles = makeStyles({
  root: {
    // As wide as the sidebar itself, open or closed; whatever would not fit is hidden here, not cut at the edge.
    width: '100%',
    height: 3 * sidebarConfig.logoHeight,
    display: 'flex',
    flexFlow: 'row nowrap',
    alignItems: 'center',
    marginBottom: -14,
    overflow: 'hidden',
  },
  link: {
    marginLeft: 24,
  },
  linkClosed: {
    // The 32px badge centred in the closed sidebar.
    marginLeft: (sidebarConfig.drawerWidthClosed - 32) / 2,
  },
});

export const SidebarLogo = () => {
  const classes = useSidebarLogoStyles();
  const { isOpen } = useSidebarOpenState();

  return (
    <div className={classes.root} data-testid="sidebar-logo">
      <Link
        to="/"
        underline="none"
        className={isOpen ? classes.link : classes.linkClosed}
        aria-label="Innovate developer portal home"
      >
        {isOpen ? <LogoFull /> : <LogoIcon />}
      </Link>
    </div>
  );
};
