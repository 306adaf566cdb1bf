import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, type AuthenticatedRequest } from './auth.decorators.js';
import { authenticate } from './authenticate.js';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier.js';

/** Every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const authentication = await authenticate(request, this.verifier);
    switch (authentication.kind) {
      case 'actor':
        request.actor = authentication.actor;
        return true;
      case 'anonymous':
        if (isPublic) return true;
        throw new UnauthorizedException('A bearer token is required (Authorization: Bearer <JWT>)');
      case 'refused':
        throw new UnauthorizedException(authentication.reason);
    }
  }
}
