/**
 * Where a guest is sent for a work restricted to registered users, from any of its pages:
 * AO3's login address, which says "This work is only available to registered users of the
 * Archive." and brings the reader back after logging in. AO3 tools (FanFicFare) look for it.
 */
export const restrictedLoginUrl = (returnTo: string) =>
  `/users/login?restricted=true&return_to=${encodeURIComponent(returnTo)}`;
