"""The local run (SPEC §5): moto on loopback, a template-driven gateway, a development IdP.

Never deployed: ``template.yaml`` does not reference this package.
"""
