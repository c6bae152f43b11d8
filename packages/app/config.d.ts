export interface Config {
  app?: {
    /**
     * Sign-in providers offered on the sign-in page, in order: `guest` (embedded default only) and/or `github`.
     * Default: guest.
     * @visibility frontend
     */
    signInProviders?: Array<'guest' | 'github'>;
  };
}
