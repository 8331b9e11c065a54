/* The engine's views of the model's SPDs by tunnel and by peer: a hub's
 * inbound policy check (manual.c) and an IKE responder's choice of policy
 * (ike.c) look at the entries of one tunnel or one peer, not at the whole
 * SPD of 100,000 tunnels.  Built at the first use: lint's probes and runs
 * that need neither never pay for them.  The model does not change under a
 * running engine, so the views stay true. */
#include "config.h"
#include "engine/engine_internal.h"

uint64_t policy_tunnel_key(const struct model_gateway *mg, enum spd_dir dir,
			   const struct ir_tunnel *t)
{
	return u64map_mix(u64map_mix(u64map_mix(2, (uintptr_t)mg), dir), (uintptr_t)t);
}

uint64_t policy_peer_key(const struct model_gateway *mg, const struct ir_gateway *peer)
{
	return u64map_mix(u64map_mix(3, (uintptr_t)mg), (uintptr_t)peer);
}

void policy_ix_need(struct engine *e)
{
	if (e->policy_ix_built)
		return;
	e->policy_ix_built = true;
	for (size_t g = 0; g < e->m->gateways.n; g++) {
		const struct model_gateway *mg = e->m->gateways.v[g];
		for (enum spd_dir dir = SPD_IN; dir <= SPD_FWD; dir++) {
			for (size_t i = 0; i < model_spd_count(mg, dir); i++) {
				const struct spd_entry *se = model_spd_entry(mg, dir, i);
				if (se->action != SPD_PROTECT || !se->tunnel)
					continue;
				u64map_add(&e->policy_tunnel_ix,
					   policy_tunnel_key(mg, dir, se->tunnel->ir), i);
				if (dir == SPD_IN)
					u64map_add(&e->policy_peer_ix,
						   policy_peer_key(mg, model_tunnel_peer(se->tunnel)), i);
			}
		}
	}
}
