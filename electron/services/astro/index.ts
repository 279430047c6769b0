/** The astro domain service: implements `astroMethods` of the contract. */
import type { astroMethods } from '../../../shared/contract/astro';
import type { DomainService, ServiceContext } from '../context';

export function createAstroService(_ctx: ServiceContext): DomainService<typeof astroMethods> {
  return { handlers: {} };
}
