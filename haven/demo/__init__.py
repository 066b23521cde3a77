"""The demo community that `make run` loads (`haven load_demo_data`): members, communities,
threads, listeners, therapists and resources, from `data/demo_content.json` and each app's own
demo module. It sits above every app, since it fills them all."""
