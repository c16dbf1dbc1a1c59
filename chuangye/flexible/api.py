from ninja import Router

router = Router(tags=["灵活就业"])
