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
import { InvalidTokenError, verifyToken } from './jwt.js';

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
    const header = request.headers.authorization;
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (header === undefined) {
      if (isPublic) return true;
      throw new UnauthorizedException('A bearer token is required (Authorization: Bearer <JWT>)');
    }
    // The scheme is case-insensitive (RFC 9110 §11.1).
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/i.exec(header);
    if (!match?.[1])
      throw new UnauthorizedException('The Authorization header must be "Bearer <JWT>"');
    try {
      request.actor = await verifyToken(this.secret, match[1], this.divisions);
      return true;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      throw error;
    }
  }
}
