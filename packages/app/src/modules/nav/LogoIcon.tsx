import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  badge: {
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: 32,
    height: 32,
    borderRadius: 8,
    background: '#7df3e1',
    color: '#151515',
    fontWeight: 800,
    fontSize: 18,
  },
});

/** The portal's mark in the collapsed sidebar. */
export const LogoIcon = () => {
  const classes = useStyles();
  return <span className={classes.badge}>i</span>;
};
