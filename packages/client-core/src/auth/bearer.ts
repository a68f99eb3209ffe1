import { ConfigError } from '../errors.js';
import { type AuthStrategy, builtInStrategy, withHeader } from './strategy.js';

/** A static token sent as `Authorization: Bearer <token>` (Adobe Commerce integration tokens, PATs). */
export function bearerAuth(token: string): AuthStrategy {
  if (typeof token !== 'string' || token.trim() === '') {
    throw new ConfigError('token', 'bearerAuth needs a non-empty token string');
  }
  return builtInStrategy({
    async authorize(request) {
      return withHeader(request, 'authorization', `Bearer ${token}`);
    },
    secrets: () => [token],
  });
}
