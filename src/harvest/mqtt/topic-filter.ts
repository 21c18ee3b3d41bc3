/**
 * MQTT topic filters, as MQTT 3.1.1 and MQTT 5 both define them in section
 * 4.7. `/` separates levels, `+` matches exactly one level and `#` matches
 * the rest. Wildcards at the first level do not match topics that start with
 * `$` (4.7.2), such as the broker's `$SYS` tree.
 */

/** Return why `filter` is not a valid topic filter, or undefined when it is valid. */
export function topicFilterError(filter: string): string | undefined {
  if (filter.length === 0) {
    return 'a topic filter must not be empty (MQTT 4.7.3)';
  }
  if (filter.includes('\u0000')) {
    return 'a topic filter must not contain the null character (MQTT 4.7.3)';
  }

  const levels = filter.split('/');
  for (let index = 0; index < levels.length; index += 1) {
    const level = levels[index];
    if (level.includes('#') && (level !== '#' || index !== levels.length - 1)) {
      return "'#' must be a whole level and the last one (MQTT 4.7.1.2)";
    }
    if (level.includes('+') && level !== '+') {
      return "'+' must be a whole level (MQTT 4.7.1.3)";
    }
  }
  return undefined;
}

/** Test whether `topic` matches the valid topic filter `filter`. */
export function topicMatchesFilter(topic: string, filter: string): boolean {
  const topicLevels = topic.split('/');
  const filterLevels = filter.split('/');
  const firstIsWildcard = filterLevels[0] === '+' || filterLevels[0] === '#';
  if (firstIsWildcard && topic.startsWith('$')) {
    return false;
  }

  for (let index = 0; index < filterLevels.length; index += 1) {
    const level = filterLevels[index];
    if (level === '#') {
      return true;
    }
    if (index >= topicLevels.length) {
      return false;
    }
    if (level !== '+' && level !== topicLevels[index]) {
      return false;
    }
  }
  return topicLevels.length === filterLevels.length;
}

/** Test whether `topic` matches any of `filters`. */
export function topicMatchesAnyFilter(topic: string, filters: readonly string[]): boolean {
  return filters.some((filter) => topicMatchesFilter(topic, filter));
}
