import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  wordmark: {
    // The name and the tagline stacked, so that both fit the open sidebar's width whole.
    display: 'flex',
    flexDirection: 'column',
    color: '#ffffff',
    lineHeight: 1.1,
    whiteSpace: 'nowrap',
  },
  name: {
    fontWeight: 700,
    fontSize: 22,
    letterSpacing: 0.2,
  },
  accent: {
    color: '#7df3e1',
  },
  sub: {
    fontSize: 12,
    fontWeight: 500,
    opacity: 0.8,
  },
});

/** The portal's word mark in the open sidebar. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <span className={classes.wordmark}>
      <span className={classes.name}>
        Innovate<span className={classes.accent}>.</span>
      </span>
      <span className={classes.sub}>developer portal</span>
    </span>
  );
};
