import type { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';

/** Times every request, labelled by route pattern (never by the raw URL, which carries ids). */
export function registerHttpMetrics(server: FastifyInstance, metrics: MetricsService): void {
  server.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
