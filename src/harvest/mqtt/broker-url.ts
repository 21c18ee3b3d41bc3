/** Broker URL schemes that mqtt.js connects to. */
const SCHEMES = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:']);

/**
 * Remove the user name and password from a broker URL, so that it can be
 * logged and published in distributions: `mqtts://user:secret@host:8883/`
 * becomes `mqtts://host:8883`. Throws for a URL that cannot be parsed or has
 * another scheme, with a message that names the URL without its credentials.
 */
export function brokerUrlWithoutCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `MQTT broker URL "${stripUserInfo(url)}" is not a valid URL; write it as mqtt://host:1883 or mqtts://host:8883`,
    );
  }

  if (!SCHEMES.has(parsed.protocol)) {
    throw new Error(
      `MQTT broker URL "${stripUserInfo(url)}" has the scheme ${parsed.protocol}; use mqtt:, mqtts:, ws: or wss:`,
    );
  }

  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString().replace(/\/+$/, '');
}

/** Build the access URL of one topic: the broker URL followed by the topic's levels, each percent-encoded. */
export function topicAccessUrl(brokerUrl: string, topic: string): string {
  const encoded = topic
    .split('/')
    .map((level) => encodeURIComponent(level))
    .join('/');
  return `${brokerUrl}/${encoded}`;
}

function stripUserInfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
