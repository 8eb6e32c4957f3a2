// placeholder: owned by its module's author
