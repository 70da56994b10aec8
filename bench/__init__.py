"""Benchmark commands (`python -m bench.<name>`); what they share."""
import torch

def make_step(model, method, amp: bool):
    "One training step of `method` on `model` (SGD with momentum, as in clipnb.engine.train), its `after_step` (GCC/EMA updates) included."
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    dev = next(model.parameters()).device
    def step(batch):
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=amp): loss, _ = method.loss(model, batch)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step(); method.after_step(model, 1)
    return step
