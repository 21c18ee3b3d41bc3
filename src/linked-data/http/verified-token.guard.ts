import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

import { AuthService } from '../../auth/auth.service';
import { viewerAccessOf } from './viewer-access';

/**
 * Rejects a request whose Authorization header fails verification with 401,
 * on routes that serve the same content to everyone (OAI-PMH, the sitemap,
 * JSON-LD contexts, the products list). Without it they would quietly serve
 * an expired or forged token as anonymous, unlike every other route.
 */
@Injectable()
export class VerifiedTokenGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    if (request.headers.authorization !== undefined) {
      await viewerAccessOf(request, this.auth);
    }
    return true;
  }
}
