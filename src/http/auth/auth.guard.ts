import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Divisions } from '../../divisions/divisions.js';
import { PUBLIC_ROUTE, type AuthenticatedRequest } from './auth.decorators.js';
import { authenticate } from './authenticate.js';

export const JWT_SECRET = Symbol('JwtSecret');

/** Every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(JWT_SECRET) private readonly secret: string,
    @Inject(Divisions) private readonly divisions: Divisions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const authentication = await authenticate(request, this.secret, this.divisions);
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
