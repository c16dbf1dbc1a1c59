from ninja import Router

router = Router(tags=["孵化载体"])
