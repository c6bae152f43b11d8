import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  wordmark: {
    display: 'flex',
    alignItems: 'baseline',
    gap: 6,
    color: '#ffffff',
    fontWeight: 700,
    fontSize: 22,
    letterSpacing: 0.2,
    whiteSpace: 'nowrap',
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
      <span>
        Innovate<span className={classes.accent}>.</span>
      </span>
      <span className={classes.sub}>developer portal</span>
    </span>
  );
};
