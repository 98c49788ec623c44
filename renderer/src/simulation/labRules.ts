// The host's effective rules per hook after the timeline (with provenance):
// the libvirt/timeline feature's foldTimeline(lab). Until it lands there is
// nothing to show, and the layers view says so.

export const timelineFoldAvailable = false;
