import type { RecognitionContext, TopicRecognition, TopicView } from './format.types';

/**
 * ESPHome's MQTT client publishes each entity's state as plain text on
 * `<topic_prefix>/<component>/<object_id>/state` and the node's
 * availability (`online`/`offline`, retained) on `<topic_prefix>/status`.
 * Units and names come from the Home Assistant discovery configurations it
 * publishes beside them, which the harvester applies separately.
 */

/** ESPHome components with an MQTT state topic. */
const COMPONENTS = new Set([
  'sensor',
  'binary_sensor',
  'text_sensor',
  'switch',
  'light',
  'fan',
  'cover',
  'climate',
  'number',
  'select',
  'text',
  'lock',
  'valve',
  'button',
  'datetime',
  'date',
  'time',
  'event',
  'alarm_control_panel',
  'update',
]);

export interface EsphomeTopic {
  node: string;
  component: string;
  objectId: string;
  /** `state` or `command`. */
  channel: string;
}

/** Split `<node>/<component>/<object_id>/state` (or `/command`). */
export function splitEsphomeTopic(levels: readonly string[]): EsphomeTopic | undefined {
  const count = levels.length;
  if (count < 4) {
    return undefined;
  }
  const channel = levels[count - 1];
  const component = levels[count - 3];
  if ((channel !== 'state' && channel !== 'command') || !COMPONENTS.has(component)) {
    return undefined;
  }
  return {
    node: levels.slice(0, count - 3).join('/'),
    component,
    objectId: levels[count - 2],
    channel,
  };
}

/** Node prefixes that published ESPHome state topics. */
export function collectEsphomeNodes(views: Iterable<TopicView>): Set<string> {
  const nodes = new Set<string>();
  for (const view of views) {
    const split = splitEsphomeTopic(view.levels);
    if (split?.channel === 'state') {
      nodes.add(split.node);
    }
  }
  return nodes;
}

export function recognizeEsphome(
  view: TopicView,
  context: RecognitionContext,
): TopicRecognition | undefined {
  const split = splitEsphomeTopic(view.levels);
  if (split !== undefined) {
    return {
      format: 'esphome',
      role: split.channel === 'state' ? 'state' : 'command',
      title: `${split.node} ${split.objectId}`,
      deviceName: split.node,
      hints: [],
      keywords: [split.component],
    };
  }

  const levels = view.levels;
  const node = levels.slice(0, -1).join('/');
  if (levels[levels.length - 1] === 'status' && context.esphomeNodes.has(node)) {
    return {
      format: 'esphome',
      role: 'availability',
      title: `${node} status`,
      deviceName: node,
      hints: [],
      keywords: ['availability'],
    };
  }
  return undefined;
}
