import { z } from 'zod';

export const DEFAULT_OAUTH_SERVER = 'https://oauth.bitrix.info';

/** One portal's application credentials. Secrets live only here, in a 0600 file. */
export const profileSchema = z
  .object({
    portal: z.string(),
    oauthServer: z.string().default(DEFAULT_OAUTH_SERVER),
    clientId: z.string(),
    clientSecret: z.string(),
    accessToken: z.string().optional(),
    /** epoch seconds */
    accessTokenExpires: z.number().optional(),
    refreshToken: z.string().optional(),
    memberId: z.string().optional(),
    scope: z.string().optional(),
    applicationToken: z.string().optional(),
    userId: z.number().optional(),
    /** whether userId is a portal administrator, as verified last */
    admin: z.boolean().optional(),
    /** the application's Handler path (its OAuth redirect address), remembered for `login` */
    handlerPath: z.string().optional(),
  })
  // Keys this version does not know (written by a newer one) survive every save.
  .loose();
export type Profile = z.infer<typeof profileSchema>;

/** Tokens rotated while running from environment variables, kept so the chain is not lost. */
export const envSessionSchema = z.object({
  spentRefreshTokens: z.array(z.string()),
  accessToken: z.string().optional(),
  accessTokenExpires: z.number().optional(),
  refreshToken: z.string().optional(),
});
export type EnvSession = z.infer<typeof envSessionSchema>;

export const configFileSchema = z
  .object({
    defaultProfile: z.string().optional(),
    profiles: z.record(z.string(), profileSchema).default({}),
    envSessions: z.record(z.string(), envSessionSchema).default({}),
  })
  .loose();
export type ConfigFile = z.infer<typeof configFileSchema>;

/** Profile names appear in file keys, flags and messages: keep them simple. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
