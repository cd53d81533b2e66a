/** Key types Fluence accepts: ECDSA (nistp256/384/521), RSA, ED25519 (documented). */
export const FLUENCE_PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( .*)?$/;

export const PUBLIC_KEY_MESSAGE =
  "must be an OpenSSH public key (ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521) such as 'ssh-ed25519 AAAA… comment'";
